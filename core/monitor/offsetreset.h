#pragma once

// Planning an offset reset: what each partition's committed offset would become. Pure, so
// the preview the user confirms is exactly what gets written.

#include <QDateTime>
#include <QList>
#include <QString>

namespace periscope::monitor {

enum class ResetMode { Earliest, Latest, Offset, DateTime, Shift };

struct ResetTarget
{
    QString topic;
    int partition = 0;
    qint64 current = -1; // committed offset, -1: none
    qint64 start = -1;   // log start offset
    qint64 end = -1;     // log end offset
    // For DateTime: the first offset at or after the time; -1 when none (then the end).
    qint64 atTime = -1;
};

struct ResetStep
{
    QString topic;
    int partition = 0;
    qint64 current = -1;
    qint64 next = -1; // -1: left unchanged (see note)
    QString note;     // why the value was clamped or skipped; empty when as asked
};

// `value` is the offset for Offset and the signed shift for Shift; unused otherwise.
// Every result lies within [start, end] of its partition.
QList<ResetStep> planReset(const QList<ResetTarget> &targets, ResetMode mode, qint64 value);

QString resetModeName(ResetMode mode);

} // namespace periscope::monitor
