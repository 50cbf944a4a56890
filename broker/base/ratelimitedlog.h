#pragma once

#include <cstdint>
#include <spdlog/spdlog.h>
#include <string>
#include <unordered_map>

namespace periscope::broker {

// Repeated log lines of one kind, let through at most once per interval. The next line of
// that kind that goes out says how many were held back meanwhile, so a storm of identical
// errors costs one line every few seconds instead of flooding the log and the disk.
class RateLimitedLog final
{
public:
    explicit RateLimitedLog(std::int64_t intervalMs = 5000)
        : m_intervalMs(intervalMs)
    {}

    // kind groups the lines that count as similar; message is what is written.
    void log(spdlog::level::level_enum level, const std::string &kind, const std::string &message);
    std::uint64_t suppressedTotal() const { return m_suppressedTotal; }

private:
    struct Kind
    {
        std::int64_t lastMs = 0;
        std::uint64_t suppressed = 0;
        bool logged = false;
    };
    std::int64_t m_intervalMs;
    std::unordered_map<std::string, Kind> m_kinds;
    std::uint64_t m_suppressedTotal = 0;
};

} // namespace periscope::broker
