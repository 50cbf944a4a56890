#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace periscope::bench {

// Prints one figure in the form scripts read:
// bench: NAME value=V unit=U ref=R ref_value=RV ratio=V/RV
inline void report(const char *name, double value, const char *unit, const char *ref,
                   double refValue)
{
    std::printf("bench: %s value=%.6g unit=%s ref=%s ref_value=%.6g ratio=%.3f\n", name, value,
                unit, ref, refValue, refValue != 0 ? value / refValue : 0.0);
    std::fflush(stdout);
}

// Ends a benchmark that cannot measure what it is for: the reason on stderr, status 1.
[[noreturn]] inline void fail(const char *bench, const QString &what)
{
    std::fprintf(stderr, "%s: %s\n", bench, qPrintable(what));
    std::fflush(stderr);
    std::_Exit(1);
}

// Benchmarks need no display: offscreen unless the caller chose a platform.
inline void preferOffscreen()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

inline double ms(const QElapsedTimer &timer)
{
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

inline double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Resident memory of this process in MB; -1 when /proc cannot tell.
inline double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

// A child process run to completion with the event loop turning (so a broker's output
// keeps being read meanwhile); its exit code, or -1 when it crashed or ran out of time.
inline int runChild(QProcess &process, const QString &program, const QStringList &arguments,
                    int timeoutMs)
{
    process.start(program, arguments);
    if (!process.waitForStarted(timeoutMs))
        return -1;
    if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs)) {
        process.kill();
        process.waitForFinished(timeoutMs);
        return -1;
    }
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

} // namespace periscope::bench
