#pragma once

#include "failedanswer.h"
#include "pending.h"

#include <QPromise>
#include <QString>
#include <exception>
#include <functional>
#include <memory>
#include <type_traits>

namespace periscope::jobs {

// A bounded set of worker threads that runs jobs in the order they came. Each cluster has
// its own pools, and the process one for local work (localpool.h): the only threads
// Periscope starts.
//
// A job is a callable taking a const JobToken & and returning its result. It always runs,
// exactly once: a job cancelled before it started runs with its token already cancelled
// and is expected to return at once.
//
// Destroying a pool never waits: it cancels every job, and its threads end once their
// jobs return (a blocking librdkafka call cannot be interrupted). waitForJobThreads()
// is where the process waits for them, with a bound, before it exits.
class JobPool final
{
public:
    static constexpr int kIdleExitMs = 30000; // an idle thread ends after this long

    JobPool(QString name, int maxThreads, int idleExitMs = kIdleExitMs);
    ~JobPool();
    JobPool(const JobPool &) = delete;
    JobPool &operator=(const JobPool &) = delete;

    template <typename Work>
    auto submit(Work &&work) -> Pending<std::invoke_result_t<Work &, const JobToken &>>;

    // Cancels the jobs running and waiting; jobs submitted later are not affected.
    void cancelAll();
    // Cancels everything, then waits up to `timeoutMs` for the running jobs to end. False
    // when some still run. For an orderly quit, not for the GUI thread during work.
    bool shutdown(int timeoutMs);

    QString name() const;
    int maxThreads() const;
    int runningJobs() const; // started and not yet returned
    int waitingJobs() const; // submitted, not started
    int threadCount() const; // threads alive, busy or idle

private:
    std::shared_ptr<JobState> enqueue(std::function<std::function<void()>(const JobToken &)> run);

    std::shared_ptr<detail::PoolCore> m_core;
};

// An answer that is already there, for a request refused before any job (no connection):
// it reaches then() like any other.
quint64 newJobId();
template <typename T>
Pending<T> readyPending(T value)
{
    QPromise<T> promise;
    QFuture<T> future = promise.future();
    promise.start();
    promise.addResult(std::move(value));
    promise.finish();
    return Pending<T>(std::move(future), std::make_shared<JobState>(newJobId()));
}

// Threads of every pool, including pools already destroyed whose last job is still
// running. Waits up to `timeoutMs` for all of them to end; false when some are left.
bool waitForJobThreads(int timeoutMs);
int liveJobThreads();

template <typename Work>
auto JobPool::submit(Work &&work) -> Pending<std::invoke_result_t<Work &, const JobToken &>>
{
    using T = std::invoke_result_t<Work &, const JobToken &>;
    auto promise = std::make_shared<QPromise<T>>();
    QFuture<T> future = promise->future();
    promise->start();
    std::shared_ptr<JobState> state =
        enqueue([promise, work = std::forward<Work>(work)](const JobToken &token) mutable {
            std::shared_ptr<T> result;
            try {
                result = std::make_shared<T>(work(token));
            } catch (const std::exception &e) {
                result = std::make_shared<T>(FailedAnswer<T>::make(QString::fromUtf8(e.what())));
            } catch (...) {
                result = std::make_shared<T>(FailedAnswer<T>::make(QString()));
            }
            // The answer is published by the pool once the job's captures are gone.
            return std::function<void()>([promise, result]() mutable {
                promise->addResult(std::move(*result));
                promise->finish();
            });
        });
    return Pending<T>(std::move(future), std::move(state));
}

} // namespace periscope::jobs
