#include "ratelimitedlog.h"

#include "clock.h"

namespace periscope::broker {

void RateLimitedLog::log(spdlog::level::level_enum level, const std::string &kind,
                         const std::string &message)
{
    if (!spdlog::should_log(level))
        return;
    Kind &k = m_kinds[kind];
    const std::int64_t now = clock::monotonicMs();
    if (k.logged && now - k.lastMs < m_intervalMs) {
        ++k.suppressed;
        ++m_suppressedTotal;
        return;
    }
    if (k.suppressed > 0)
        spdlog::log(level, "{} ({} similar messages suppressed)", message, k.suppressed);
    else
        spdlog::log(level, "{}", message);
    k.logged = true;
    k.lastMs = now;
    k.suppressed = 0;
}

} // namespace periscope::broker
