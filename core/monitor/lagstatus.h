#pragma once

// The lag status rules (docs/lag-status.md): what a partition's recent samples say about
// its consumer. Pure functions over value types, so every rule has a unit test.

#include <QString>
#include <QtGlobal>
#include <span>

namespace periscope::monitor {

// In order of severity: a group shows the worst of its partitions.
enum class LagStatus { Unknown, Ok, Warn, Rewind, Stall, Stop };

QString lagStatusName(LagStatus status); // "OK", "WARN", ..., "—" for Unknown
LagStatus worse(LagStatus a, LagStatus b);

// One look at a partition: its group's committed offset (-1: none yet) and its end offset.
struct LagSample
{
    qint64 timeMs = 0;
    qint64 committed = -1;
    qint64 end = -1;
};

struct LagRules
{
    int windowSamples = 10; // a full window; STOP needs one
    int minSamples = 3;     // fewer say nothing about a trend
};

// `window` holds the partition's recent samples, oldest first, at most windowSamples.
// `owned`: a live member of the group is assigned the partition.
LagStatus evaluatePartition(std::span<const LagSample> window, bool owned,
                            const LagRules &rules = {});

// Seconds the consumer is behind: when the end offset passed the committed offset,
// interpolated over the window's end offsets. 0 when caught up, -1 when it cannot be told.
double estimateSecondsBehind(std::span<const LagSample> window, qint64 nowMs);

} // namespace periscope::monitor
