#include "client/kafkalibrary.h"
#include "commandline.h"
#include "firstframe.h"
#include "logging/loghub.h"
#include "logging/setup.h"
#include "mainwindow.h"
#include "screenshots.h"
#include "shutdown.h"
#include "startupwarmup.h"
#include "translations.h"

#include <QApplication>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <spdlog/spdlog.h>
#include <string_view>

namespace {

// How long quitting waits for background work (a librdkafka call cannot be interrupted)
// before it leaves anyway.
constexpr int kQuitWaitMs = 3000;

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("periscope"));
    QCoreApplication::setOrganizationName(QStringLiteral("periscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PERISCOPE_VERSION));
}

// Options that only print something: they must work with no display at all (over ssh, in a
// package check).
bool onlyPrints(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help" || arg == "-?" || arg == "--help-all" || arg == "-v" ||
            arg == "--version")
            return true;
    }
    return false;
}

// Qt aborts when it finds no screen to open a window on; say why instead. A platform the
// user chose (QT_QPA_PLATFORM) is theirs to get right.
bool hasDisplay()
{
    return qEnvironmentVariableIsSet("QT_QPA_PLATFORM") ||
           !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// The command line read without a window: help and version print and exit, and a malformed
// line is reported, before anything needs a display.
int withoutWindow(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    describeApplication();
    periscope::app::installTranslations(&app);
    periscope::app::LaunchOptions options;
    QString error;
    if (!periscope::app::parseCommandLine(app, &options, &error)) {
        std::fprintf(stderr, "periscope: %s\n", qPrintable(error));
        return 2;
    }
    std::fprintf(stderr, "periscope: %s\n",
                 qPrintable(QCoreApplication::translate(
                     "main", "no display to open the window on (DISPLAY and WAYLAND_DISPLAY "
                             "are not set). Start it in a desktop session, over ssh -X, or "
                             "with QT_QPA_PLATFORM=offscreen.")));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv) || !hasDisplay())
        return withoutWindow(argc, argv);

    std::optional<periscope::app::StartupWarmup> warmup(std::in_place);
    QApplication app(argc, argv);
    describeApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("Periscope"));
    periscope::app::installTranslations(&app);

    periscope::app::LaunchOptions options;
    QString error;
    if (!periscope::app::parseCommandLine(app, &options, &error)) {
        std::fprintf(stderr, "periscope: %s\n", qPrintable(error));
        return 2;
    }
    warmup->applicationReady();

    periscope::logging::LogHub hub;
    periscope::logging::setupLogging(&hub, periscope::logging::defaultLogDir(),
                                     spdlog::level::info);
    spdlog::info("Periscope {} starting", PERISCOPE_VERSION);
    warmup->waitForFontConfig();

    int status = 0;
    {
        periscope::app::MainWindow window(options, &hub);
        periscope::app::installStartupProbe(&window);
        // Loaded after the first frame, so that neither the window nor the first request
        // waits for librdkafka and OpenSSL to be mapped.
        periscope::app::afterFirstFrame(
            &window, [] { periscope::client::kafkalibrary::loadInBackground(); });
        window.show();
        if (!options.screenshotDir.isEmpty())
            periscope::app::takeScreenshots(&window, options.screenshotDir);
        status = QApplication::exec();
    } // the window's clusters go, and with them every job of theirs is cancelled
    warmup.reset();
    const bool ended = periscope::app::endBackgroundWork(kQuitWaitMs);
    periscope::logging::shutdownLogging();
    // A thread stuck in librdkafka (its 2.0.x destroy can hang) must not keep the console
    // from quitting, nor run under the feet of static destructors.
    if (!ended)
        std::_Exit(status);
    return status;
}
