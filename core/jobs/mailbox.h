#pragma once

#include <QObject>
#include <functional>
#include <memory>

namespace periscope::jobs {

// Carries calls from worker threads (or librdkafka's) to one receiver object's thread,
// and only while the receiver wants them: the mailbox closes when the receiver is destroyed
// or someone calls close(), and nothing posted is run after that. Workers hold it by
// shared_ptr; the receiver never waits for them.
//
// Calls posted with postBounded() count against the capacity until the receiver has run
// them, so a producer faster than its receiver learns to wait (waitForRoom) instead of
// piling up memory.
class Mailbox final
{
    struct Private
    {};

public:
    struct State;

    // Make on the receiver's thread. Calls are delivered through a small child object of the
    // receiver, so they stop by themselves when the receiver goes, and the child goes with
    // the last holder of the mailbox.
    static std::shared_ptr<Mailbox> create(QObject *receiver, int capacity = 0);
    Mailbox(Private, std::shared_ptr<State> state);
    ~Mailbox();
    Mailbox(const Mailbox &) = delete;
    Mailbox &operator=(const Mailbox &) = delete;

    // Stops delivering (pending calls are dropped) and wakes waiting workers. From the
    // receiver's thread nothing runs after it returns; from another thread, a call already
    // under way on the receiver's thread may still finish.
    void close();
    bool isClosed() const;

    // Runs `call` on the receiver's thread, unless the mailbox is closed by then. Never
    // refused and never blocks: for control messages (progress, errors, the end).
    void post(std::function<void()> call);
    // As post(), but false (and nothing posted) while `capacity` bounded calls are waiting to
    // run. Without a capacity it is post().
    bool postBounded(std::function<void()> call);
    // Waits up to `ms` for room for a bounded call; false when still full or closed.
    bool waitForRoom(int ms);
    int waitingBounded() const;
    int capacity() const;

private:
    std::shared_ptr<State> m_state;
};

using MailboxPtr = std::shared_ptr<Mailbox>;

} // namespace periscope::jobs
