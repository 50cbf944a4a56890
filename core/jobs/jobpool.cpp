#include "jobpool.h"

#include <chrono>
#include <deque>
#include <exception>
#include <spdlog/spdlog.h>
#include <thread>
#include <unordered_set>

namespace periscope::jobs {

namespace {

// Every pool thread of the process, counted so that the process can wait for them at exit.
struct ThreadCount
{
    std::mutex mutex;
    std::condition_variable changed;
    int live = 0;
};

ThreadCount &threadCount()
{
    static ThreadCount count;
    return count;
}

std::atomic<quint64> nextJobId{1};

thread_local const JobToken *runningJob = nullptr;

} // namespace

namespace detail {

struct PoolCore : std::enable_shared_from_this<PoolCore>
{
    struct Task
    {
        std::shared_ptr<JobState> state;
        // Does the work and hands back what publishes its answer.
        std::function<std::function<void()>(const JobToken &)> run;
    };

    QString name;
    int maxThreads = 1;
    int idleExitMs = JobPool::kIdleExitMs;
    // Bumped by every cancel of the whole pool: a job submitted before is cancelled, even one
    // whose answer is already on its way.
    std::shared_ptr<std::atomic<quint64>> generation = std::make_shared<std::atomic<quint64>>(0);
    mutable std::mutex mutex;
    std::condition_variable work;  // a task came, or the pool closed
    std::condition_variable ended; // a job or a thread ended
    std::deque<Task> queue;
    std::unordered_set<std::shared_ptr<JobState>> running;
    int threads = 0;
    int idleThreads = 0;
    bool closed = false;

    std::shared_ptr<JobState> enqueue(std::function<std::function<void()>(const JobToken &)> run);
    void cancelAllLocked();
    void serve();
};

std::shared_ptr<JobState>
PoolCore::enqueue(std::function<std::function<void()>(const JobToken &)> run)
{
    auto state = std::make_shared<JobState>(newJobId(), generation);
    const std::lock_guard lock(mutex);
    if (closed)
        state->cancel(); // still runs, at once and cancelled: every job gets its answer
    queue.push_back({state, std::move(run)});
    if (idleThreads >= int(queue.size()) || threads >= maxThreads) {
        work.notify_one();
        return state;
    }
    ++threads;
    {
        ThreadCount &count = threadCount();
        const std::lock_guard countLock(count.mutex);
        ++count.live;
    }
    std::thread([core = shared_from_this()]() mutable {
        core->serve();
        core.reset();
        // The last thing this thread does: whoever waits at exit may go on from here.
        ThreadCount &count = threadCount();
        const std::lock_guard countLock(count.mutex);
        --count.live;
        count.changed.notify_all();
    }).detach();
    return state;
}

void PoolCore::cancelAllLocked()
{
    generation->fetch_add(1, std::memory_order_acq_rel);
    for (const Task &t : queue)
        t.state->cancel();
    for (const auto &state : running)
        state->cancel();
}

void PoolCore::serve()
{
    std::unique_lock lock(mutex);
    ++idleThreads;
    for (;;) {
        work.wait_for(lock, std::chrono::milliseconds(idleExitMs),
                      [this] { return !queue.empty() || closed; });
        if (queue.empty())
            break; // idle too long, or closed with nothing left to run
        --idleThreads;
        Task task = std::move(queue.front());
        queue.pop_front();
        running.insert(task.state);
        lock.unlock();
        std::function<void()> publish;
        try {
            const JobToken token(task.state, weak_from_this());
            runningJob = &token;
            publish = task.run(token);
            runningJob = nullptr;
        } catch (const std::exception &e) {
            runningJob = nullptr;
            spdlog::error("job {} on {} failed: {}", task.state->id, name.toStdString(), e.what());
        } catch (...) {
            runningJob = nullptr;
            spdlog::error("job {} on {} failed", task.state->id, name.toStdString());
        }
        task.run = nullptr; // the job's captures go before its answer is out
        lock.lock();
        running.erase(task.state);
        // Counted idle before the answer is published: whoever submits the next job on
        // hearing it finds this thread, instead of starting another.
        ++idleThreads;
        ended.notify_all();
        if (publish) {
            lock.unlock();
            publish();
            publish = nullptr;
            lock.lock();
        }
    }
    --idleThreads;
    --threads;
    ended.notify_all();
}

} // namespace detail

quint64 newJobId()
{
    return nextJobId.fetch_add(1);
}

void JobState::cancel()
{
    cancelled.store(true, std::memory_order_release);
    const std::lock_guard lock(mutex);
    wake.notify_all();
}

bool JobToken::sleepFor(int ms) const
{
    std::unique_lock lock(m_state->mutex);
    m_state->wake.wait_for(lock, std::chrono::milliseconds(ms), [this] { return cancelled(); });
    return !cancelled();
}

const JobToken *JobToken::current()
{
    return runningJob;
}

bool JobToken::currentCancelled()
{
    return runningJob && runningJob->cancelled();
}

bool JobToken::startHelper(std::function<void(const JobToken &)> work) const
{
    const std::shared_ptr<detail::PoolCore> core = m_pool.lock();
    if (!core)
        return false;
    {
        const std::lock_guard lock(core->mutex);
        if (core->closed)
            return false;
    }
    core->enqueue([work = std::move(work)](const JobToken &token) {
        work(token);
        return std::function<void()>();
    });
    return true;
}

JobPool::JobPool(QString name, int maxThreads, int idleExitMs)
    : m_core(std::make_shared<detail::PoolCore>())
{
    m_core->name = std::move(name);
    m_core->maxThreads = std::max(1, maxThreads);
    m_core->idleExitMs = std::max(0, idleExitMs);
}

JobPool::~JobPool()
{
    const std::lock_guard lock(m_core->mutex);
    m_core->closed = true;
    m_core->cancelAllLocked();
    m_core->work.notify_all();
}

std::shared_ptr<JobState>
JobPool::enqueue(std::function<std::function<void()>(const JobToken &)> run)
{
    return m_core->enqueue(std::move(run));
}

void JobPool::cancelAll()
{
    const std::lock_guard lock(m_core->mutex);
    m_core->cancelAllLocked();
}

bool JobPool::shutdown(int timeoutMs)
{
    std::unique_lock lock(m_core->mutex);
    m_core->closed = true;
    m_core->cancelAllLocked();
    m_core->work.notify_all();
    return m_core->ended.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] {
        return m_core->queue.empty() && m_core->running.empty();
    });
}

QString JobPool::name() const
{
    return m_core->name;
}

int JobPool::maxThreads() const
{
    return m_core->maxThreads;
}

int JobPool::runningJobs() const
{
    const std::lock_guard lock(m_core->mutex);
    return int(m_core->running.size());
}

int JobPool::waitingJobs() const
{
    const std::lock_guard lock(m_core->mutex);
    return int(m_core->queue.size());
}

int JobPool::threadCount() const
{
    const std::lock_guard lock(m_core->mutex);
    return m_core->threads;
}

bool waitForJobThreads(int timeoutMs)
{
    ThreadCount &count = threadCount();
    std::unique_lock lock(count.mutex);
    return count.changed.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                  [&] { return count.live == 0; });
}

int liveJobThreads()
{
    ThreadCount &count = threadCount();
    const std::lock_guard lock(count.mutex);
    return count.live;
}

} // namespace periscope::jobs
