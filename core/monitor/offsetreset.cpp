#include "monitor/offsetreset.h"

#include <QCoreApplication>
#include <QtNumeric>
#include <limits>

namespace periscope::monitor {

namespace {

// current + shift without wrapping: a huge shift must land on the log start or end, never
// on the opposite side of the log.
qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 sum = 0;
    if (qAddOverflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return sum;
}

// Puts `wanted` inside [start, end]; the note tells the user the value they asked for was
// not the value that will be written.
qint64 clampWithNote(qint64 wanted, qint64 start, qint64 end, QString *note)
{
    if (wanted < start) {
        *note = QCoreApplication::translate("OffsetReset", "%1 is below the log start; %2 used")
                    .arg(wanted)
                    .arg(start);
        return start;
    }
    if (wanted > end) {
        *note = QCoreApplication::translate("OffsetReset", "%1 is past the log end; %2 used")
                    .arg(wanted)
                    .arg(end);
        return end;
    }
    return wanted;
}

ResetStep planOne(const ResetTarget &target, ResetMode mode, qint64 value)
{
    ResetStep step;
    step.topic = target.topic;
    step.partition = target.partition;
    step.current = target.current;

    // Without both bounds no value can be shown to lie inside the log, so nothing is
    // proposed. An inverted range (start past end) is equally unusable.
    if (target.start < 0 || target.end < 0 || target.start > target.end) {
        step.note =
            QCoreApplication::translate("OffsetReset", "log offsets unknown; left unchanged");
        return step;
    }

    switch (mode) {
    case ResetMode::Earliest:
        step.next = target.start;
        break;
    case ResetMode::Latest:
        step.next = target.end;
        break;
    case ResetMode::Offset:
        step.next = clampWithNote(value, target.start, target.end, &step.note);
        break;
    case ResetMode::DateTime:
        if (target.atTime < 0) {
            step.next = target.end;
            step.note = QCoreApplication::translate(
                "OffsetReset", "no message at or after the time; log end used");
        } else {
            // The time lookup and the offset lookup are separate requests; retention may
            // have moved the start between them.
            step.next = clampWithNote(target.atTime, target.start, target.end, &step.note);
        }
        break;
    case ResetMode::Shift:
        if (target.current < 0) {
            step.note = QCoreApplication::translate(
                "OffsetReset", "no committed offset to shift from; left unchanged");
        } else {
            step.next = clampWithNote(saturatingAdd(target.current, value), target.start,
                                      target.end, &step.note);
        }
        break;
    }
    return step;
}

} // namespace

QList<ResetStep> planReset(const QList<ResetTarget> &targets, ResetMode mode, qint64 value)
{
    QList<ResetStep> steps;
    steps.reserve(targets.size());
    for (const ResetTarget &target : targets)
        steps.append(planOne(target, mode, value));
    return steps;
}

QString resetModeName(ResetMode mode)
{
    switch (mode) {
    case ResetMode::Earliest:
        return QCoreApplication::translate("OffsetReset", "earliest");
    case ResetMode::Latest:
        return QCoreApplication::translate("OffsetReset", "latest");
    case ResetMode::Offset:
        return QCoreApplication::translate("OffsetReset", "offset");
    case ResetMode::DateTime:
        return QCoreApplication::translate("OffsetReset", "date and time");
    case ResetMode::Shift:
        return QCoreApplication::translate("OffsetReset", "shift by");
    }
    return QString();
}

} // namespace periscope::monitor
