#pragma once

#include "jobs/pending.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFuture>

namespace periscope::test {

// Spins the event loop until a request's answer is there (tests only); a default value and
// a warning when it does not come in time.
template <typename T>
T await(QFuture<T> future, int timeoutMs = 30000)
{
    QElapsedTimer timer;
    timer.start();
    while (!future.isFinished() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!future.isFinished()) {
        qWarning("future did not finish");
        return T{};
    }
    return future.result();
}

template <typename T>
T await(const jobs::Pending<T> &pending, int timeoutMs = 30000)
{
    return await(pending.future(), timeoutMs);
}

} // namespace periscope::test
