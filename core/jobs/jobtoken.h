#pragma once

#include <QtGlobal>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace periscope::jobs {

namespace detail {
struct PoolCore;
}

// What a job, its Pending and its pool share: the job's number and its cancel flag.
struct JobState
{
    explicit JobState(quint64 jobId,
                      std::shared_ptr<const std::atomic<quint64>> poolGeneration = {})
        : id(jobId)
        , generation(poolGeneration ? poolGeneration->load() : 0)
        , pool(std::move(poolGeneration))
    {}

    const quint64 id;
    std::atomic<bool> cancelled{false};
    std::mutex mutex;
    std::condition_variable wake; // ends a sleepFor() at once when the job is cancelled

    void cancel();
    // Cancelled itself, or its pool cancelled everything since it was submitted: that also
    // covers a job already finished whose answer still waits to be delivered.
    bool isCancelled() const
    {
        return cancelled.load(std::memory_order_acquire) ||
               (pool && pool->load(std::memory_order_acquire) != generation);
    }

private:
    const quint64 generation;
    const std::shared_ptr<const std::atomic<quint64>> pool;
};

// A running job's view of itself. Long work checks cancelled() between steps and waits
// with sleepFor() rather than sleeping, so that cancelling it ends it promptly.
class JobToken final
{
public:
    JobToken(std::shared_ptr<JobState> state, std::weak_ptr<detail::PoolCore> pool)
        : m_state(std::move(state))
        , m_pool(std::move(pool))
    {}

    quint64 id() const { return m_state->id; }
    bool cancelled() const { return m_state->isCancelled(); }
    // Waits up to `ms`; false when the job was cancelled meanwhile (or before).
    bool sleepFor(int ms) const;
    // Queues a helper job on the same pool (see parallel.h); false when the pool is gone or
    // closing, and the caller then does the work itself.
    bool startHelper(std::function<void(const JobToken &)> work) const;
    const std::shared_ptr<JobState> &state() const { return m_state; }

    // The job running on the calling thread, or null outside any job: lets code deep in a
    // job (a wait on librdkafka's queue) notice a cancel without every call passing it on.
    static const JobToken *current();
    // True when the calling thread runs a job that was cancelled.
    static bool currentCancelled();

private:
    std::shared_ptr<JobState> m_state;
    std::weak_ptr<detail::PoolCore> m_pool;
};

} // namespace periscope::jobs
