#pragma once

// How offsets, lag, lag status and time behind read in every model that shows them.

#include "monitor/lagstatus.h"

#include <QString>
#include <QVariant>

namespace periscope::models {

// "—" when unknown (-1), else the count with group separators.
QString formatLag(qint64 lag);
// The same for an offset: "—" when there is none (-1).
inline QString formatOffset(qint64 offset)
{
    return formatLag(offset);
}
// "0 s", "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h"; "—" when unknown (< 0).
QString formatSecondsBehind(double seconds);
// A text colour for the status, invalid for OK and Unknown.
QVariant statusColor(monitor::LagStatus status);
QString statusToolTip(monitor::LagStatus status);
// A row tint for WARN and worse, so trouble stands out from across a room; invalid otherwise.
QVariant statusTint(monitor::LagStatus status);

} // namespace periscope::models
