#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <utility>

namespace periscope::client {

// A request's future answer. then() delivers it on the context object's thread, and not at
// all once the context is gone: the answer goes through a QFutureWatcher owned by the
// context (QFuture::then(context, …) in Qt 6.4 asserts when the context dies first).
template <typename T>
class Pending final
{
public:
    explicit Pending(QFuture<T> future)
        : m_future(std::move(future))
    {}

    template <typename F>
    void then(QObject *context, F &&receive) const
    {
        auto *watcher = new QFutureWatcher<T>(context);
        QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                         [watcher, receive = std::forward<F>(receive)]() mutable {
                             watcher->deleteLater();
                             receive(watcher->result());
                         });
        watcher->setFuture(m_future);
    }

    const QFuture<T> &future() const { return m_future; }
    bool isFinished() const { return m_future.isFinished(); }
    T result() const { return m_future.result(); }

private:
    QFuture<T> m_future;
};

} // namespace periscope::client
