#include "groups/lagformat.h"

#include "common/modelutil.h"

#include <QCoreApplication>
#include <cmath>

namespace periscope::models {

using monitor::LagStatus;

QString formatLag(qint64 lag)
{
    return lag < 0 ? unknownText() : formatCount(lag);
}

QString formatSecondsBehind(double seconds)
{
    if (seconds < 0)
        return unknownText();
    const auto s = qint64(std::llround(seconds));
    auto tr = [](const char *text) { return QCoreApplication::translate("LagFormat", text); };
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
    return tr("%1 d %2 h").arg(s / 86400).arg(s % 86400 / 3600);
}

QVariant statusColor(LagStatus status)
{
    switch (status) {
    case LagStatus::Warn:
        return warningColor();
    case LagStatus::Rewind:
    case LagStatus::Stall:
    case LagStatus::Stop:
        return errorColor();
    case LagStatus::Unknown:
    case LagStatus::Ok:
        break;
    }
    return {};
}

QVariant statusTint(LagStatus status)
{
    if (status == LagStatus::Warn)
        return warningTint();
    if (status > LagStatus::Warn)
        return errorTint();
    return {};
}

QString statusToolTip(LagStatus status)
{
    auto tr = [](const char *text) { return QCoreApplication::translate("LagFormat", text); };
    switch (status) {
    case LagStatus::Unknown:
        return tr("No committed offset yet");
    case LagStatus::Ok:
        return tr("Caught up within the window, or lag shrinking");
    case LagStatus::Warn:
        return tr("Committing, but the lag has not shrunk over the window");
    case LagStatus::Rewind:
        return tr("The committed offset moved back within the window");
    case LagStatus::Stall:
        return tr("A live member owns the partition but its offset does not move while lag "
                  "is above zero");
    case LagStatus::Stop:
        return tr("No commits for longer than the window while lag is above zero, and no "
                  "member owns the partition");
    }
    return {};
}

} // namespace periscope::models
