#pragma once

#include "jobtoken.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>

namespace periscope::jobs {

// Runs step(i) for every i in [0, count) on the calling job's thread and on up to `helpers`
// helper jobs of the same pool; returns when every step is done. The caller takes steps
// too, so this never waits for a pool that is full: helpers that start late find nothing
// left and return. `step` must be safe to call from several threads at once.
template <typename Step>
void parallelFor(const JobToken &token, std::size_t count, int helpers, Step step)
{
    struct Shared
    {
        std::atomic<std::size_t> next{0};
        std::size_t count = 0;
        std::mutex mutex;
        std::condition_variable allDone;
        std::size_t done = 0;
        std::exception_ptr failure; // the first step that threw, rethrown to the caller
    };
    auto shared = std::make_shared<Shared>();
    shared->count = count;
    // Helpers hold `shared` but reach `step` only while a step is left, and the caller does
    // not return before the last step is done, so `step` outlives every use of it.
    auto work = [shared, &step] {
        for (std::size_t i = shared->next++; i < shared->count; i = shared->next++) {
            std::exception_ptr failure;
            try {
                step(i);
            } catch (...) {
                failure = std::current_exception();
            }
            const std::lock_guard lock(shared->mutex);
            if (failure && !shared->failure)
                shared->failure = failure;
            if (++shared->done == shared->count)
                shared->allDone.notify_all();
        }
    };
    const std::size_t extra =
        std::min<std::size_t>(std::size_t(std::max(0, helpers)), count > 0 ? count - 1 : 0);
    for (std::size_t h = 0; h < extra; ++h)
        if (!token.startHelper([work](const JobToken &) { work(); }))
            break;
    work();
    std::unique_lock lock(shared->mutex);
    shared->allDone.wait(lock, [&] { return shared->done == shared->count; });
    if (shared->failure)
        std::rethrow_exception(shared->failure);
}

} // namespace periscope::jobs
