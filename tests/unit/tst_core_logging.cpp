#include "logging/loghub.h"
#include "logging/redact.h"
#include "logging/setup.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <spdlog/spdlog.h>
#include <thread>

using periscope::logging::LogHub;
using periscope::logging::LogRecord;

class TestCoreLogging final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { periscope::logging::shutdownLogging(); }

    void redaction_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *name, const char *in, const char *out) {
            QTest::newRow(name) << QString::fromUtf8(in) << QString::fromUtf8(out);
        };
        row("plain", "nothing secret here", "nothing secret here");
        row("equals", "sasl.password=hunter2", "sasl.password=***");
        row("colon", "sasl.password: hunter2 next", "sasl.password: *** next");
        row("spaces", "ssl.key.password = s3cr3t", "ssl.key.password = ***");
        row("list", "bootstrap=a:9092, sasl.password=pw, sasl.username=bob",
            "bootstrap=a:9092, sasl.password=***, sasl.username=bob");
        row("oauth", "sasl.oauthbearer.client.secret=abc;x=1",
            "sasl.oauthbearer.client.secret=***;x=1");
        row("keystore", "ssl.keystore.password=k ssl.truststore.password=t",
            "ssl.keystore.password=*** ssl.truststore.password=***");
        row("uppercase key", "SASL.PASSWORD=x", "SASL.PASSWORD=***");
        row("quoted", "sasl.password=\"a b c\" end", "sasl.password=\"***\" end");
        row("json", "{\"sasl.password\": \"p\\\"w\", \"a\": 1}",
            "{\"sasl.password\": \"***\", \"a\": 1}");
        row("jaas", "sasl.jaas.config=org.Plain required username=\"u\" password=\"p\";\nnext",
            "sasl.jaas.config=***;\nnext");
        row("prefixed", "listener.name.x.sasl.jaas.config: abc",
            "listener.name.x.sasl.jaas.config: ***");
        row("multiline", "sasl.password=a\nssl.key.password=b",
            "sasl.password=***\nssl.key.password=***");
        row("other key", "sasl.username=bob", "sasl.username=bob");
        row("longer key", "sasl.password.file=/etc/pw", "sasl.password.file=/etc/pw");
        row("embedded key", "mysasl.password=x", "mysasl.password=x");
        row("no separator", "sasl.password is set", "sasl.password is set");
        row("empty value", "sasl.password=, sasl.username=bob",
            "sasl.password=, sasl.username=bob");
        row("blank after separator", "sasl.password= next", "sasl.password= ***");
        row("at end", "sasl.password=", "sasl.password=");
        row("unicode", "ünïcode sasl.password=päss ok", "ünïcode sasl.password=*** ok");
    }

    void redaction()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(periscope::logging::redactSecrets(input), expected);
        const std::string narrow = periscope::logging::redactSecrets(input.toStdString());
        QCOMPARE(QString::fromStdString(narrow), expected);
    }

    void recordsArriveBatchedOnHubThread()
    {
        LogHub hub;
        QThread *deliveredOn = nullptr;
        QList<LogRecord> received;
        connect(&hub, &LogHub::linesArrived, this, [&](const QList<LogRecord> &records) {
            deliveredOn = QThread::currentThread();
            received += records;
        });
        QSignalSpy spy(&hub, &LogHub::linesArrived);
        periscope::logging::setupLogging(&hub, QString(), spdlog::level::debug);

        constexpr int PerThread = 200;
        QThread *worker = QThread::create([] {
            for (int i = 0; i < PerThread; ++i)
                spdlog::info("worker line {}", i);
        });
        worker->start();
        QVERIFY(worker->wait(10000));
        delete worker;
        for (int i = 0; i < PerThread; ++i)
            spdlog::debug("main line {} sasl.password=hunter2", i);
        spdlog::trace("below the level");

        QTRY_COMPARE(received.size(), 2 * PerThread);
        // Nothing was drained until the event loop ran, so all lines came as one batch.
        QCOMPARE(spy.size(), 1);
        QCOMPARE(deliveredOn, hub.thread());
        QCOMPARE(received.first().text, QStringLiteral("worker line 0"));
        QCOMPARE(received.first().logger, QStringLiteral("periscope"));
        QCOMPARE(received.first().level, int(spdlog::level::info));
        QVERIFY(received.first().time.isValid());
        QCOMPARE(received.last().text, QStringLiteral("main line 199 sasl.password=***"));
        QCOMPARE(received.last().level, int(spdlog::level::debug));
        QCOMPARE(hub.droppedCount(), 0);

        spdlog::info("second batch");
        QTRY_COMPARE(spy.size(), 2);
        QCOMPARE(received.last().text, QStringLiteral("second batch"));
    }

    void overflowDropsOldest()
    {
        LogHub hub;
        QList<LogRecord> received;
        connect(&hub, &LogHub::linesArrived, this,
                [&](const QList<LogRecord> &records) { received += records; });
        periscope::logging::setupLogging(&hub, QString(), spdlog::level::info);
        const int total = LogHub::MaxPending + 25;
        for (int i = 0; i < total; ++i)
            spdlog::info("line {}", i);
        QCOMPARE(hub.droppedCount(), 25);
        QTRY_COMPARE(received.size(), LogHub::MaxPending + 1);
        QVERIFY(received.first().text.contains(QStringLiteral("25")));
        QCOMPARE(received.first().level, int(spdlog::level::warn));
        QCOMPARE(received.at(1).text, QStringLiteral("line 25"));
        QCOMPARE(received.last().text, QStringLiteral("line %1").arg(total - 1));
    }

    void hubDestroyedFirstIsSafe()
    {
        auto *hub = new LogHub;
        periscope::logging::setupLogging(hub, QString(), spdlog::level::info);
        spdlog::info("queued for a hub that goes away");
        delete hub; // its drain was posted and never ran
        spdlog::info("logged after the hub is gone");
        std::thread([] { spdlog::info("and from another thread"); }).join();
        QCoreApplication::sendPostedEvents();

        // A new hub hears only what is logged to it: nothing of the old one's leaks through.
        LogHub next;
        QList<LogRecord> received;
        connect(&next, &LogHub::linesArrived, this,
                [&](const QList<LogRecord> &records) { received += records; });
        periscope::logging::setupLogging(&next, QString(), spdlog::level::info);
        spdlog::info("for the new hub");
        QTRY_COMPARE(received.size(), 1);
        QCOMPARE(received.first().text, QStringLiteral("for the new hub"));
        QCOMPARE(next.droppedCount(), 0);
    }

    void fileSinkWritesRedactedLines()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString dir = tmp.filePath(QStringLiteral("nested/logs"));
        LogHub hub;
        periscope::logging::setupLogging(&hub, dir, spdlog::level::info);
        spdlog::info("connecting with sasl.password=hunter2 ssl.key.password: pw2");
        spdlog::default_logger()->flush();

        QFile file(periscope::logging::logFileName(dir));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QByteArray content = file.readAll();
        QVERIFY2(content.contains("connecting with sasl.password=*** ssl.key.password: ***"),
                 content.constData());
        QVERIFY(!content.contains("hunter2"));
        QVERIFY(!content.contains("pw2"));
    }

    void unusableLogDirIsReported()
    {
        QTemporaryDir tmp;
        QFile blocker(tmp.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        LogHub hub;
        QList<LogRecord> received;
        connect(&hub, &LogHub::linesArrived, this,
                [&](const QList<LogRecord> &records) { received += records; });
        periscope::logging::setupLogging(&hub, blocker.fileName() + QStringLiteral("/logs"),
                                         spdlog::level::info);
        spdlog::info("still logging");
        QTRY_COMPARE(received.size(), 2);
        QCOMPARE(received.first().level, int(spdlog::level::warn));
        QVERIFY(received.first().text.startsWith(QStringLiteral("log file disabled")));
        QCOMPARE(received.last().text, QStringLiteral("still logging"));
    }

    void defaultLogDirEndsInLogs()
    {
        QVERIFY(periscope::logging::defaultLogDir().endsWith(QStringLiteral("/logs")));
    }
};

QTEST_GUILESS_MAIN(TestCoreLogging)
#include "tst_core_logging.moc"
