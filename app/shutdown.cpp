#include "shutdown.h"

#include "client/kafkahandle.h"
#include "jobs/jobpool.h"
#include "jobs/localpool.h"

#include <QDeadlineTimer>
#include <spdlog/spdlog.h>

namespace periscope::app {

bool endBackgroundWork(int timeoutMs)
{
    // One deadline for the three waits: quitting never takes longer than asked.
    const QDeadlineTimer deadline(timeoutMs);
    const auto left = [&deadline] { return int(std::max<qint64>(0, deadline.remainingTime())); };
    bool ended = jobs::shutdownLocalPool(left());
    ended = client::waitForReleasedHandles(left()) && ended;
    ended = jobs::waitForJobThreads(left()) && ended;
    if (!ended)
        spdlog::warn("leaving with {} background thread(s) still busy and {} librdkafka "
                     "handle(s) not yet closed",
                     jobs::liveJobThreads(), client::liveHandleCount());
    return ended;
}

} // namespace periscope::app
