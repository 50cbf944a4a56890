// The broker as a process: its ready line, a clean stop, its data directory lock and
// clear messages for bad command lines.
#include "testbroker.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace periscope::test;

namespace {
struct Outcome
{
    int exitCode;
    QString out;
    QString err;
};

Outcome runBroker(const QStringList &args)
{
    QProcess p;
    p.start(TestBroker::program(), args);
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
        return {-1, {}, QStringLiteral("still running")};
    }
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}
} // namespace

class TestBrokerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readyLineAndCleanStop()
    {
        QTemporaryDir dir;
        QProcess p;
        p.start(TestBroker::program(), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                        QStringLiteral("--data-dir"), dir.path()});
        QVERIFY(p.waitForReadyRead(10000));
        const QString line = QString::fromUtf8(p.readLine()).trimmed();
        const QRegularExpression form(
            QStringLiteral("^periscope-broker ready bootstrap=127\\.0\\.0\\.1:(\\d+) data=(.+)$"));
        const auto match = form.match(line);
        QVERIFY2(match.hasMatch(), qPrintable(line));
        QVERIFY(match.captured(1).toInt() > 0);
        QCOMPARE(match.captured(2), dir.path());
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral(".clean-shutdown"))));
    }

    void secondBrokerOnSameDataDirRefuses()
    {
        TestBroker first;
        QVERIFY(first.start());
        const Outcome second = runBroker({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                          QStringLiteral("--data-dir"), first.dataDir()});
        QVERIFY(second.exitCode != 0);
        QVERIFY2(second.err.contains(QStringLiteral("in use by another periscope-broker")),
                 qPrintable(second.err));
        QVERIFY(second.out.isEmpty()); // no ready line
        QVERIFY(first.stop());
    }

    void portInUse()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        QTemporaryDir dir;
        const Outcome r = runBroker({QStringLiteral("--listen"),
                                     QStringLiteral("127.0.0.1:%1").arg(taken.serverPort()),
                                     QStringLiteral("--data-dir"), dir.path()});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QStringLiteral("cannot listen")), qPrintable(r.err));
    }

    void badCommandLines_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no port") << QStringList{QStringLiteral("--listen"),
                                                QStringLiteral("127.0.0.1")}
                                 << QStringLiteral("HOST:PORT");
        QTest::newRow("port too big")
            << QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:70000")}
            << QStringLiteral("HOST:PORT");
        QTest::newRow("not an address")
            << QStringList{QStringLiteral("--listen"), QStringLiteral("nowhere:0")}
            << QStringLiteral("not an IPv4 address");
        QTest::newRow("partitions")
            << QStringList{QStringLiteral("--default-partitions"), QStringLiteral("zero")}
            << QStringLiteral("--default-partitions");
        QTest::newRow("auto create")
            << QStringList{QStringLiteral("--auto-create-topics"), QStringLiteral("maybe")}
            << QStringLiteral("true or false");
        QTest::newRow("log level")
            << QStringList{QStringLiteral("--log-level"), QStringLiteral("loud")}
            << QStringLiteral("--log-level");
    }

    void badCommandLines()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const Outcome r = runBroker(args << QStringLiteral("--data-dir") << dir.path());
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void unusableDataDir()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("plain-file")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const Outcome r = runBroker({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                     QStringLiteral("--data-dir"), file.fileName()});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QStringLiteral("data directory")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestBrokerProcess)
#include "tst_brokerprocess.moc"
