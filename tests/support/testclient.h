#pragma once

// A ClusterClient for integration tests: short time-outs, quick probes, connected.

#include "client/clusterclient.h"

#include <QTest>
#include <memory>

namespace periscope::test {

inline client::ConnectionSettings testSettings(const QString &bootstrap, int timeoutMs = 10000)
{
    client::ConnectionSettings s;
    s.name = QStringLiteral("test");
    s.properties.insert(QStringLiteral("bootstrap.servers"), bootstrap);
    s.requestTimeoutMs = timeoutMs;
    s.probeIntervalMs = 500; // state changes show within a test's patience
    return s;
}

// Null (with a warning) when it does not reach Connected within ten seconds.
inline std::unique_ptr<client::ClusterClient> connectedClient(const QString &bootstrap)
{
    auto c = std::make_unique<client::ClusterClient>(testSettings(bootstrap));
    c->open();
    if (!QTest::qWaitFor([&] { return c->state() == client::ClusterClient::State::Connected; },
                         10000)) {
        qWarning("no connection to %s: %s", qPrintable(bootstrap), qPrintable(c->stateMessage()));
        return nullptr;
    }
    return c;
}

} // namespace periscope::test
