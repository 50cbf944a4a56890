#pragma once

#include <QMap>
#include <QString>

namespace periscope::test {

class TestBroker;

// The counters a running periscope-broker keeps about itself: SIGUSR1 makes it log one
// "stats:" line of key=value pairs (connections, buffer bytes, waiting fetches, pending
// members, syncs …). Waits for a line newer than any before the call; empty when none came
// in time.
QMap<QString, qint64> brokerStats(TestBroker &broker, int timeoutMs = 10000);

// The newest stats line in a broker's output, parsed; empty when there is none.
QMap<QString, qint64> parseLastStats(const QString &log, qint64 *sequence = nullptr);

} // namespace periscope::test
