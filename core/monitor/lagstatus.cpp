#include "monitor/lagstatus.h"

#include <QList>
#include <algorithm>

namespace periscope::monitor {

namespace {

qint64 lagOf(const LagSample &s)
{
    return std::max<qint64>(0, s.end - s.committed);
}

bool hasCommit(const LagSample &s)
{
    return s.committed >= 0;
}

} // namespace

QString lagStatusName(LagStatus status)
{
    switch (status) {
    case LagStatus::Unknown:
        break;
    case LagStatus::Ok:
        return QStringLiteral("OK");
    case LagStatus::Warn:
        return QStringLiteral("WARN");
    case LagStatus::Rewind:
        return QStringLiteral("REWIND");
    case LagStatus::Stall:
        return QStringLiteral("STALL");
    case LagStatus::Stop:
        return QStringLiteral("STOP");
    }
    return QStringLiteral("\u2014");
}

LagStatus worse(LagStatus a, LagStatus b)
{
    return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

LagStatus evaluatePartition(std::span<const LagSample> window, bool owned, const LagRules &rules)
{
    if (window.empty() || !hasCommit(window.back()))
        return LagStatus::Unknown;

    // Samples taken before the group's first commit say nothing about its progress.
    QList<LagSample> valid;
    for (const LagSample &s : window) {
        if (hasCommit(s))
            valid.append(s);
    }

    // A rewind is someone resetting offsets or a consumer replaying: worth seeing even when
    // the lag looks healthy, so it comes before the catch-up and trend rules.
    for (qsizetype i = 1; i < valid.size(); ++i) {
        if (valid[i].committed < valid[i - 1].committed)
            return LagStatus::Rewind;
    }

    if (std::any_of(valid.cbegin(), valid.cend(), [](const LagSample &s) { return lagOf(s) == 0; }))
        return LagStatus::Ok;

    if (valid.size() < rules.minSamples)
        return LagStatus::Ok;

    const qint64 first = valid.front().committed;
    const bool unchanged = std::all_of(
        valid.cbegin(), valid.cend(), [first](const LagSample &s) { return s.committed == first; });
    if (unchanged && lagOf(valid.back()) > 0) {
        if (owned)
            return LagStatus::Stall;
        // Without an owner a quiet group may just be between runs; only a whole window of
        // silence makes it a stopped consumer.
        return qsizetype(window.size()) >= rules.windowSamples ? LagStatus::Stop : LagStatus::Ok;
    }

    if (valid.back().committed > first) {
        bool neverDecreased = true;
        for (qsizetype i = 1; i < valid.size() && neverDecreased; ++i)
            neverDecreased = lagOf(valid[i]) >= lagOf(valid[i - 1]);
        if (neverDecreased)
            return LagStatus::Warn;
    }
    return LagStatus::Ok;
}

double estimateSecondsBehind(std::span<const LagSample> window, qint64 nowMs)
{
    if (window.empty() || !hasCommit(window.back()))
        return -1;
    const LagSample &newest = window.back();
    if (lagOf(newest) == 0)
        return 0;
    if (window.size() < 2)
        return -1;

    const qint64 c = newest.committed;
    const LagSample &oldest = window.front();
    double committedAtMs = 0;
    if (c >= oldest.end) {
        // The end offset crossed c inside the window: c's time lies between two samples.
        // The newest end is past c (its lag is not 0), so the search stops by then, and
        // before.end <= c < after.end keeps the divisor positive.
        size_t i = 1;
        while (i + 1 < window.size() && window[i].end <= c)
            ++i;
        const LagSample &before = window[i - 1];
        const LagSample &after = window[i];
        const double span = double(after.end - before.end);
        if (span <= 0)
            return -1;
        committedAtMs = double(before.timeMs) +
                        double(c - before.end) * double(after.timeMs - before.timeMs) / span;
    } else {
        // c was produced before the window began: extrapolate back at the window's mean rate.
        const qint64 elapsedMs = newest.timeMs - oldest.timeMs;
        if (elapsedMs <= 0)
            return -1;
        const double perMs = double(newest.end - oldest.end) / double(elapsedMs);
        if (perMs <= 0)
            return -1;
        committedAtMs = double(oldest.timeMs) - double(oldest.end - c) / perMs;
    }
    return std::max(0.0, (double(nowMs) - committedAtMs) / 1000.0);
}

} // namespace periscope::monitor
