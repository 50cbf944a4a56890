#pragma once

#include "jobtoken.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <utility>

namespace periscope::jobs {

// A job's future answer. then() delivers it on the context object's thread, and not at all
// once the context is gone or the job was cancelled (by cancel(), or by its pool going
// away): a late result never reaches a receiver that stopped waiting for it. The answer
// goes through a QFutureWatcher owned by the context, because QFuture::then(context, …)
// in Qt 6.4 asserts when the context dies first.
template <typename T>
class Pending final
{
public:
    Pending() = default; // no job: never delivers, cancel() does nothing
    Pending(QFuture<T> future, std::shared_ptr<JobState> state)
        : m_future(std::move(future))
        , m_state(std::move(state))
    {}

    template <typename F>
    void then(QObject *context, F &&receive) const
    {
        auto *watcher = new QFutureWatcher<T>(context);
        QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                         [watcher, state = m_state, receive = std::forward<F>(receive)]() mutable {
                             watcher->deleteLater();
                             if (!state || state->isCancelled() ||
                                 watcher->future().resultCount() == 0)
                                 return;
                             receive(watcher->result());
                         });
        watcher->setFuture(m_future);
    }

    quint64 id() const { return m_state ? m_state->id : 0; }
    // The job sees it at its next check; its result is then never delivered.
    void cancel() const
    {
        if (m_state)
            m_state->cancel();
    }
    bool isCancelled() const { return m_state && m_state->isCancelled(); }
    const QFuture<T> &future() const { return m_future; }
    bool isFinished() const { return m_future.isFinished(); }
    // Block until the job ends: for tests and worker threads, never the GUI thread.
    T result() const { return m_future.result(); }
    void wait() const
    {
        QFuture<T> future = m_future;
        future.waitForFinished();
    }

private:
    QFuture<T> m_future;
    std::shared_ptr<JobState> m_state;
};

} // namespace periscope::jobs
