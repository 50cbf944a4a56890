#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace periscope::localbroker {

// Starts, watches and stops a bundled periscope-broker process. Everything is
// asynchronous: the outcome of start() arrives as ready() or failed().
class LocalBroker final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString program; // empty: periscope-broker next to this executable
        QString dataDir; // empty: the broker's default
        QString listen = QStringLiteral("127.0.0.1:0");
        QStringList extraArguments;
    };

    explicit LocalBroker(QObject *parent = nullptr);
    ~LocalBroker() override;

    void start(const Options &options);
    void stop(); // SIGTERM: the broker finishes requests, flushes and exits
    void kill(); // SIGKILL, for crash tests
    bool isRunning() const;
    QString bootstrap() const { return m_bootstrap; }
    QString dataDir() const { return m_dataDir; }
    qint64 processId() const;
    QString recentLog() const { return m_log.join(QLatin1Char('\n')); }

    static QString defaultProgram();

Q_SIGNALS:
    void ready(const QString &bootstrap);
    void failed(const QString &message);
    void stopped(int exitCode, bool crashed);

private:
    void readStdout();
    void readStderr();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess m_process;
    QString m_bootstrap;
    QString m_dataDir;
    QStringList m_log;
    bool m_ready = false;
};

} // namespace periscope::localbroker
