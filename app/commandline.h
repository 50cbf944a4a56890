#pragma once

#include <QString>

class QCoreApplication;

namespace periscope::app {

// What the command line asked for.
struct LaunchOptions
{
    QString profile;   // connect to this saved profile
    QString bootstrap; // or straight to these brokers (an unsaved profile)
    bool localBroker = false;
    bool demoData = false;
    QString screenshotDir; // write PNGs of the main panes there, then quit
};

// Parses the arguments; --help and --version print and exit the process like any tool.
// Returns false (with *error) for contradictory or malformed options.
bool parseCommandLine(const QCoreApplication &app, LaunchOptions *options, QString *error);

} // namespace periscope::app
