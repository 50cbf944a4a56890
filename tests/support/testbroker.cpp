#include "testbroker.h"

#include <QSignalSpy>
#include <csignal>
#include <sys/types.h>

namespace periscope::test {

TestBroker::TestBroker(QStringList extraArguments)
    : m_extra(std::move(extraArguments))
    , m_broker(std::make_unique<localbroker::LocalBroker>())
{}

TestBroker::~TestBroker()
{
    thaw(); // the process is stopped on destruction, which a frozen one would not notice
}

QString TestBroker::program()
{
    return QStringLiteral(PERISCOPE_BROKER_PROGRAM);
}

bool TestBroker::start(int port)
{
    QSignalSpy ready(m_broker.get(), &localbroker::LocalBroker::ready);
    QSignalSpy failed(m_broker.get(), &localbroker::LocalBroker::failed);
    localbroker::LocalBroker::Options options;
    options.program = program();
    options.dataDir = m_dir.path();
    options.extraArguments = m_extra;
    if (port > 0)
        options.listen = QStringLiteral("127.0.0.1:%1").arg(port);
    m_broker->start(options);
    for (int i = 0; i < 200 && ready.isEmpty() && failed.isEmpty(); ++i)
        ready.wait(50);
    if (!failed.isEmpty())
        qWarning("broker failed: %s", qPrintable(failed.first().first().toString()));
    return !ready.isEmpty();
}

bool TestBroker::stop()
{
    if (!m_broker->isRunning())
        return true;
    thaw(); // a frozen broker would never see the SIGTERM
    QSignalSpy stopped(m_broker.get(), &localbroker::LocalBroker::stopped);
    m_broker->stop();
    if (!stopped.wait(10000))
        return false;
    return stopped.first().at(0).toInt() == 0 && !stopped.first().at(1).toBool();
}

void TestBroker::kill()
{
    if (!m_broker->isRunning())
        return;
    thaw();
    QSignalSpy stopped(m_broker.get(), &localbroker::LocalBroker::stopped);
    m_broker->kill();
    stopped.wait(10000);
}

void TestBroker::freeze()
{
    if (m_broker->isRunning())
        ::kill(pid_t(m_broker->processId()), SIGSTOP);
}

void TestBroker::thaw()
{
    if (m_broker->isRunning())
        ::kill(pid_t(m_broker->processId()), SIGCONT);
}

int TestBroker::port() const
{
    return bootstrap().section(QLatin1Char(':'), -1).toInt();
}

} // namespace periscope::test
