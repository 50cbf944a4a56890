#include "clock.h"

#include <chrono>

namespace periscope::broker::clock {
namespace {
Source g_wall = nullptr;
Source g_monotonic = nullptr;
} // namespace

std::int64_t wallMs()
{
    using namespace std::chrono;
    if (g_wall)
        return g_wall();
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t monotonicMs()
{
    using namespace std::chrono;
    if (g_monotonic)
        return g_monotonic();
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void overrideForTesting(Source wall, Source monotonic)
{
    g_wall = wall;
    g_monotonic = monotonic;
}

} // namespace periscope::broker::clock
