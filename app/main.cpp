#include "client/kafkahandle.h"
#include "client/kafkalibrary.h"
#include "commandline.h"
#include "firstframe.h"
#include "logging/loghub.h"
#include "logging/setup.h"
#include "mainwindow.h"
#include "screenshots.h"
#include "startupwarmup.h"
#include "translations.h"

#include <QApplication>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <spdlog/spdlog.h>

int main(int argc, char *argv[])
{
    periscope::app::StartupWarmup warmup;
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("periscope"));
    QApplication::setOrganizationName(QStringLiteral("periscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("Periscope"));
    QApplication::setApplicationVersion(QStringLiteral(PERISCOPE_VERSION));
    periscope::app::installTranslations(&app);

    periscope::app::LaunchOptions options;
    QString error;
    if (!periscope::app::parseCommandLine(app, &options, &error)) {
        std::fprintf(stderr, "periscope: %s\n", qPrintable(error));
        return 2;
    }
    // Not earlier: --help and --version exit() from inside the parser.
    warmup.applicationReady();

    periscope::logging::LogHub hub;
    periscope::logging::setupLogging(&hub, periscope::logging::defaultLogDir(),
                                     spdlog::level::info);
    spdlog::info("Periscope {} starting", PERISCOPE_VERSION);
    warmup.waitForFontConfig();

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
    }
    warmup.finish();
    // librdkafka handles are destroyed on their own threads; let them finish before the
    // statics go. One stuck in librdkafka (its 2.0.x destroy can hang) must not keep the
    // console from quitting.
    const bool released = periscope::client::waitForReleasedHandles(3000);
    periscope::logging::shutdownLogging();
    if (!released)
        std::_Exit(status);
    return status;
}
