#include "brokerstats.h"

#include "testbroker.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <csignal>

namespace periscope::test {

QMap<QString, qint64> parseLastStats(const QString &log, qint64 *sequence)
{
    const QString marker = QStringLiteral("stats: ");
    const qsizetype at = log.lastIndexOf(marker);
    if (at < 0)
        return {};
    const qsizetype end = log.indexOf(QLatin1Char('\n'), at);
    const QString line = log.mid(at + marker.size(), end < 0 ? -1 : end - at - marker.size());
    QMap<QString, qint64> values;
    for (const QString &pair : line.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq > 0)
            values.insert(pair.left(eq), pair.mid(eq + 1).toLongLong());
    }
    if (sequence)
        *sequence = values.value(QStringLiteral("seq"), -1);
    return values;
}

QMap<QString, qint64> brokerStats(TestBroker &broker, int timeoutMs)
{
    qint64 before = -1;
    parseLastStats(broker.recentLog(), &before);
    const qint64 pid = broker.process().processId();
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), SIGUSR1) != 0)
        return {};
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        qint64 seq = -1;
        auto values = parseLastStats(broker.recentLog(), &seq);
        if (seq > before)
            return values;
    }
    return {};
}

} // namespace periscope::test
