// ./dev bench startup: from process start to the first painted window, the console against
// a minimal Qt Widgets program showing one empty QMainWindow, alternating in the same run.
// Both print "window-shown" after their first frame when PERISCOPE_EXIT_AFTER_SHOW=1 and exit.
//   startup             median ms of kRuns runs each on the X11 platform, as users run it;
//                       needs an X server in DISPLAY (./dev bench starts Xvfb and a session
//                       bus when none is set)
//   startup_offscreen   the same with Qt's offscreen platform: no display server at all
#include "benchutil.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

using namespace periscope;

namespace {

constexpr int kRuns = 25;
constexpr int kShowTimeoutMs = 30000;
constexpr int kExitTimeoutMs = 10000;

// Milliseconds from starting program to its "window-shown" line; nothing on failure.
std::optional<double> timeToWindow(const QString &program, const QString &platform)
{
    QTemporaryDir home; // a fresh user each run: no saved profiles, layout or logs
    if (!home.isValid()) {
        std::fprintf(stderr, "bench_startup: cannot create a temporary directory\n");
        return std::nullopt;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    env.insert(QStringLiteral("PERISCOPE_EXIT_AFTER_SHOW"), QStringLiteral("1"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), home.filePath(QStringLiteral("state")));

    QProcess process;
    process.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    process.start(program, {});
    QByteArray out;
    while (!out.contains("window-shown\n")) {
        const qint64 left = kShowTimeoutMs - timer.elapsed();
        if (left <= 0 || !process.waitForReadyRead(int(left)))
            break;
        out += process.readAllStandardOutput();
    }
    const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    if (!out.contains("window-shown\n")) {
        process.kill();
        process.waitForFinished(kExitTimeoutMs);
        std::fprintf(stderr, "bench_startup: %s showed no window within %d ms\nstderr: %s\n",
                     qPrintable(program), kShowTimeoutMs,
                     process.readAllStandardError().constData());
        return std::nullopt;
    }
    if (!process.waitForFinished(kExitTimeoutMs) || process.exitCode() != 0) {
        process.kill();
        process.waitForFinished(kExitTimeoutMs);
        std::fprintf(stderr, "bench_startup: %s did not exit cleanly after showing its window\n",
                     qPrintable(program));
        return std::nullopt;
    }
    return ms;
}

// Reports the medians of kRuns alternating starts of the console and the reference.
bool compare(const char *figure, const QString &platform)
{
    const QString console = QStringLiteral(PERISCOPE_PROGRAM);
    const QString minimal = QStringLiteral(MINIMAL_WINDOW_PROGRAM);
    // One untimed start of each warms the page cache and the font cache alike.
    if (!timeToWindow(console, platform) || !timeToWindow(minimal, platform))
        return false;
    std::vector<double> consoleMs, minimalMs;
    for (int i = 0; i < kRuns; ++i) {
        const auto c = timeToWindow(console, platform);
        const auto m = timeToWindow(minimal, platform);
        if (!c || !m)
            return false;
        consoleMs.push_back(*c);
        minimalMs.push_back(*m);
    }
    std::fprintf(stderr, "%s: console min %.1f max %.1f ms, minimal window min %.1f max %.1f ms\n",
                 figure, *std::min_element(consoleMs.begin(), consoleMs.end()),
                 *std::max_element(consoleMs.begin(), consoleMs.end()),
                 *std::min_element(minimalMs.begin(), minimalMs.end()),
                 *std::max_element(minimalMs.begin(), minimalMs.end()));
    bench::report(figure, bench::median(consoleMs), "ms", "minimal-qt-window",
                  bench::median(minimalMs));
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsEmpty("DISPLAY"))
        std::fprintf(stderr, "startup: no DISPLAY, so no X11 figure; run it through ./dev bench\n");
    else if (!compare("startup", QStringLiteral("xcb")))
        return 1;
    return compare("startup_offscreen", QStringLiteral("offscreen")) ? 0 : 1;
}
