#pragma once

#include <cstdint>

namespace periscope::broker::clock {

// Milliseconds since the epoch: for what Kafka stamps with the time of day (record and
// commit timestamps, retention by record time).
std::int64_t wallMs();
// Milliseconds on a clock that only moves forward: for every deadline and time-out, so that
// setting the system clock neither stalls nor fires them.
std::int64_t monotonicMs();

// Tests replace both clocks; nullptr restores the real ones.
using Source = std::int64_t (*)();
void overrideForTesting(Source wall, Source monotonic);

} // namespace periscope::broker::clock
