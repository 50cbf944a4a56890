#include "commandline.h"

#include "profiles/profile.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace periscope::app {

bool parseCommandLine(const QCoreApplication &app, LaunchOptions *options, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Periscope, a desktop console for Apache Kafka."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(
        QStringLiteral("profile"),
        QCoreApplication::translate("main", "Connect to a saved profile."), QStringLiteral("NAME"));
    const QCommandLineOption bootstrap(
        QStringLiteral("bootstrap"),
        QCoreApplication::translate("main", "Connect to these brokers (PLAINTEXT)."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption local(
        QStringLiteral("local-broker"),
        QCoreApplication::translate("main", "Start the bundled periscope-broker and connect."));
    const QCommandLineOption demo(
        QStringLiteral("demo-data"),
        QCoreApplication::translate("main", "Fill the local broker with demo topics and groups."));
    QCommandLineOption shots(
        QStringLiteral("screenshots"),
        QCoreApplication::translate("main", "Write PNGs of the main panes to DIR, then quit."),
        QStringLiteral("DIR"));
    shots.setFlags(QCommandLineOption::HiddenFromHelp); // for ./dev screenshot
    parser.addOptions({profile, bootstrap, local, demo, shots});
    parser.process(app);

    options->profile = parser.value(profile);
    options->bootstrap = parser.value(bootstrap);
    options->localBroker = parser.isSet(local);
    options->demoData = parser.isSet(demo);
    options->screenshotDir = parser.value(shots);
    const int targets = int(!options->profile.isEmpty()) + int(!options->bootstrap.isEmpty()) +
                        int(options->localBroker);
    if (targets > 1) {
        *error = QCoreApplication::translate(
            "main", "choose one of --profile, --bootstrap and --local-broker");
        return false;
    }
    if (options->demoData && !options->localBroker) {
        *error = QCoreApplication::translate("main", "--demo-data needs --local-broker");
        return false;
    }
    if (!options->bootstrap.isEmpty()) {
        if (const QString problem = profiles::validateBootstrap(options->bootstrap);
            !problem.isEmpty()) {
            *error = QStringLiteral("--bootstrap: ") + problem;
            return false;
        }
    }
    return true;
}

} // namespace periscope::app
