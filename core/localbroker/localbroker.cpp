#include "localbroker.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace periscope::localbroker {

namespace {
constexpr qsizetype kLogLines = 200;
const QString kReadyPrefix = QStringLiteral("periscope-broker ready ");
} // namespace

LocalBroker::LocalBroker(QObject *parent)
    : QObject(parent)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &LocalBroker::readStdout);
    connect(&m_process, &QProcess::readyReadStandardError, this, &LocalBroker::readStderr);
    connect(&m_process, &QProcess::finished, this, &LocalBroker::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            Q_EMIT failed(
                tr("cannot start %1: %2").arg(m_process.program(), m_process.errorString()));
    });
}

LocalBroker::~LocalBroker()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // The broker stops within milliseconds of SIGTERM; the wait only guards a hung one.
    m_process.disconnect(this);
    m_process.terminate();
    if (!m_process.waitForFinished(3000))
        m_process.kill();
    m_process.waitForFinished(1000);
}

QString LocalBroker::defaultProgram()
{
    return QDir(QCoreApplication::applicationDirPath())
        .filePath(QStringLiteral("periscope-broker"));
}

void LocalBroker::start(const Options &options)
{
    if (m_process.state() != QProcess::NotRunning) {
        Q_EMIT failed(tr("the local broker is already running"));
        return;
    }
    m_ready = false;
    m_bootstrap.clear();
    m_dataDir = options.dataDir;
    m_log.clear();
    const QString program = options.program.isEmpty() ? defaultProgram() : options.program;
    if (!QFileInfo(program).isExecutable()) {
        Q_EMIT failed(tr("periscope-broker not found at %1").arg(program));
        return;
    }
    QStringList args{QStringLiteral("--listen"), options.listen};
    if (!options.dataDir.isEmpty())
        args << QStringLiteral("--data-dir") << options.dataDir;
    args << options.extraArguments;
    m_process.start(program, args);
}

void LocalBroker::stop()
{
    if (m_process.state() != QProcess::NotRunning)
        m_process.terminate();
}

void LocalBroker::kill()
{
    if (m_process.state() != QProcess::NotRunning)
        m_process.kill();
}

bool LocalBroker::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

qint64 LocalBroker::processId() const
{
    return m_process.processId();
}

void LocalBroker::readStdout()
{
    while (m_process.canReadLine()) {
        const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
        if (m_ready || !line.startsWith(kReadyPrefix))
            continue;
        // periscope-broker ready bootstrap=HOST:PORT data=DIR
        for (const QString &field : line.mid(kReadyPrefix.size()).split(QLatin1Char(' '))) {
            if (field.startsWith(QLatin1String("bootstrap=")))
                m_bootstrap = field.mid(10);
            else if (field.startsWith(QLatin1String("data=")))
                m_dataDir = line.mid(line.indexOf(QLatin1String(" data=")) + 6);
        }
        m_ready = true;
        Q_EMIT ready(m_bootstrap);
    }
}

void LocalBroker::readStderr()
{
    const QString text = QString::fromUtf8(m_process.readAllStandardError());
    for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        m_log.append(line);
    if (m_log.size() > kLogLines)
        m_log.erase(m_log.begin(), m_log.begin() + (m_log.size() - kLogLines));
}

void LocalBroker::onFinished(int exitCode, QProcess::ExitStatus status)
{
    readStderr();
    const bool crashed = status == QProcess::CrashExit;
    if (!m_ready) {
        const QString last = m_log.isEmpty() ? tr("no output") : m_log.constLast();
        Q_EMIT failed(tr("the local broker exited before it was ready (%1)").arg(last));
    }
    m_ready = false;
    Q_EMIT stopped(exitCode, crashed);
}

} // namespace periscope::localbroker
