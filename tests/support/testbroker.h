#pragma once

#include "localbroker/localbroker.h"

#include <QStringList>
#include <QTemporaryDir>
#include <memory>

namespace periscope::test {

// A real periscope-broker on a free port with its own temporary data directory.
class TestBroker final
{
public:
    explicit TestBroker(QStringList extraArguments = {});
    ~TestBroker();

    // Waits for the ready line (the test thread may block). Port 0 picks a free one; a
    // restart on the same port is how a test shows a broker coming back.
    bool start(int port = 0);
    bool stop(); // SIGTERM and wait for a clean exit
    void kill(); // SIGKILL and wait
    // SIGSTOP / SIGCONT: a broker that holds its connections open and answers nothing, as
    // one stuck in a long pause would.
    void freeze();
    void thaw();
    bool restart() { return stop() && start(); }
    QString bootstrap() const { return m_broker->bootstrap(); }
    std::string bootstrapStd() const { return bootstrap().toStdString(); }
    QString dataDir() const { return m_dir.path(); }
    QString recentLog() const { return m_broker->recentLog(); }
    int port() const;
    localbroker::LocalBroker &process() { return *m_broker; }

    static QString program();

private:
    QTemporaryDir m_dir;
    QStringList m_extra;
    std::unique_ptr<localbroker::LocalBroker> m_broker;
};

} // namespace periscope::test
