// A console whose librdkafka cannot be loaded must say so where the user looks, and keep
// running: the library is loaded at run time (core/client/kafkalibrary.h), so this is a
// failure the process lives through rather than one the dynamic loader reports at start.
#include "client/clusterclient.h"
#include "client/kafkahandle.h"
#include "client/kafkalibrary.h"

#include <QSignalSpy>
#include <QTest>

using namespace periscope::client;

namespace {
const QByteArray kMissing = "/nonexistent/periscope-test/librdkafka.so.1";
}

class TestCoreKafkaLibrary final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Before anything asks for the library: the outcome of the first load is kept.
    void initTestCase() { qputenv("PERISCOPE_LIBRDKAFKA", kMissing); }

    void loadReportsTheLoadersMessage()
    {
        QString error;
        QVERIFY(!kafkalibrary::load(&error));
        QVERIFY2(error.contains(QString::fromUtf8(kMissing)), qPrintable(error));
        QVERIFY(!kafkalibrary::load()); // asked again: same answer, no crash
    }

    void handleCreationFailsWithAMessage()
    {
        QString error;
        const KafkaPtr handle = makeHandle(
            HandleType::Producer, {}, [](const HandleEvent &) {}, &error);
        QVERIFY(!handle);
        QVERIFY2(error.startsWith(QStringLiteral("cannot load the Kafka client library: ")),
                 qPrintable(error));
    }

    void connectingFailsWithTheSameMessage()
    {
        ConnectionSettings settings;
        settings.name = QStringLiteral("no library");
        settings.properties.insert(QStringLiteral("bootstrap.servers"),
                                   QStringLiteral("127.0.0.1:9"));
        ClusterClient client(settings);
        QSignalSpy failed(&client, &ClusterClient::openFailed);
        client.open(); // the handle is made in a job; the failure comes back as a signal
        QVERIFY(failed.wait(20000));
        const QString error = failed.first().first().toString();
        QVERIFY2(error.contains(QStringLiteral("cannot load the Kafka client library")),
                 qPrintable(error));
        QCOMPARE(client.state(), ClusterClient::State::Disconnected);
        QCOMPARE(client.stateMessage(), error);
    }

    void versionSaysNotLoaded()
    {
        QVERIFY2(ClusterClient::librdkafkaVersion().startsWith(QStringLiteral("not loaded")),
                 qPrintable(ClusterClient::librdkafkaVersion()));
    }
};

QTEST_GUILESS_MAIN(TestCoreKafkaLibrary)
#include "tst_core_kafkalibrary.moc"
