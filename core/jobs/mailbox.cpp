#include "mailbox.h"

#include <QMetaObject>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace periscope::jobs {

// Shared by the mailbox and the receiver's child object, so that each can outlive the other.
struct Mailbox::State : std::enable_shared_from_this<State>
{
    struct Entry
    {
        std::function<void()> call;
        bool bounded = false;
    };

    mutable std::mutex mutex;
    std::condition_variable room;
    QObject *anchor = nullptr; // the receiver's child that calls run on; null once closed
    int capacity = 0;
    int bounded = 0; // bounded calls posted and not yet run
    std::deque<Entry> pending;

    // Under the lock. The dropped calls are handed back to be freed outside it.
    std::deque<Entry> shutLocked()
    {
        anchor = nullptr;
        bounded = 0;
        room.notify_all();
        return std::exchange(pending, {});
    }
    void add(Entry entry);
    void deliver();
};

namespace {

// Lives as the receiver's child: the receiver's destruction closes the mailbox, and events
// posted to it go with it.
class Anchor final : public QObject
{
public:
    Anchor(QObject *receiver, std::shared_ptr<Mailbox::State> state)
        : QObject(receiver)
        , m_state(std::move(state))
    {}
    ~Anchor() override
    {
        std::deque<Mailbox::State::Entry> dropped;
        const std::lock_guard lock(m_state->mutex);
        if (m_state->anchor == this)
            dropped = m_state->shutLocked();
    }

private:
    std::shared_ptr<Mailbox::State> m_state;
};

} // namespace

void Mailbox::State::add(Entry entry)
{
    const std::lock_guard lock(mutex);
    if (!anchor)
        return;
    if (entry.bounded)
        ++bounded;
    const bool wasEmpty = pending.empty();
    pending.push_back(std::move(entry));
    // One wake-up for everything posted until the receiver's thread gets to it. Posted under
    // the lock: the anchor cannot be destroyed between the check and the post, and events
    // posted to it are removed with it.
    if (wasEmpty)
        QMetaObject::invokeMethod(
            anchor, [self = shared_from_this()] { self->deliver(); }, Qt::QueuedConnection);
}

void Mailbox::State::deliver()
{
    // One call at a time, taken from the front: a call that turns a nested event loop (a
    // modal dialog) lets that loop go on with the next ones in order. At most the calls
    // present now, so a producer that never stops cannot keep this turn of the loop.
    std::size_t budget = 0;
    {
        const std::lock_guard lock(mutex);
        budget = anchor ? pending.size() : 0;
    }
    for (; budget > 0; --budget) {
        Entry e;
        {
            const std::lock_guard lock(mutex);
            if (!anchor || pending.empty())
                return; // closed meanwhile, or a nested turn took the rest
            e = std::move(pending.front());
            pending.pop_front();
        }
        e.call();
        e.call = nullptr;
        if (e.bounded) {
            const std::lock_guard lock(mutex);
            if (bounded > 0)
                --bounded;
            room.notify_all();
        }
    }
    // Calls posted meanwhile found the queue not empty and asked for no turn of their own.
    const std::lock_guard lock(mutex);
    if (anchor && !pending.empty())
        QMetaObject::invokeMethod(
            anchor, [self = shared_from_this()] { self->deliver(); }, Qt::QueuedConnection);
}

std::shared_ptr<Mailbox> Mailbox::create(QObject *receiver, int capacity)
{
    auto state = std::make_shared<State>();
    state->capacity = capacity;
    state->anchor = new Anchor(receiver, state);
    return std::make_shared<Mailbox>(Private{}, state);
}

Mailbox::Mailbox(Private, std::shared_ptr<State> state)
    : m_state(std::move(state))
{}

Mailbox::~Mailbox()
{
    close(); // the last holder is gone: its child object goes too
}

void Mailbox::close()
{
    std::deque<State::Entry> dropped;
    const std::lock_guard lock(m_state->mutex);
    // deleteLater(), not delete: close() may run on any thread. The anchor cannot be in its
    // destructor meanwhile: that takes the same lock first.
    if (m_state->anchor)
        m_state->anchor->deleteLater();
    dropped = m_state->shutLocked();
}

bool Mailbox::isClosed() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->anchor == nullptr;
}

void Mailbox::post(std::function<void()> call)
{
    m_state->add({std::move(call), false});
}

bool Mailbox::postBounded(std::function<void()> call)
{
    bool bounded = false;
    {
        const std::lock_guard lock(m_state->mutex);
        if (m_state->anchor && m_state->capacity > 0 && m_state->bounded >= m_state->capacity)
            return false;
        bounded = m_state->capacity > 0;
    }
    m_state->add({std::move(call), bounded});
    return true;
}

bool Mailbox::waitForRoom(int ms)
{
    std::unique_lock lock(m_state->mutex);
    if (m_state->capacity <= 0)
        return m_state->anchor != nullptr;
    m_state->room.wait_for(lock, std::chrono::milliseconds(ms), [this] {
        return !m_state->anchor || m_state->bounded < m_state->capacity;
    });
    return m_state->anchor && m_state->bounded < m_state->capacity;
}

int Mailbox::waitingBounded() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->bounded;
}

int Mailbox::capacity() const
{
    return m_state->capacity;
}

} // namespace periscope::jobs
