// PERISCOPE_LIBRDKAFKA naming a library that is not librdkafka (or one too old) is refused
// when loaded, with a message that says so, instead of failing at the first missing call.
#include "client/kafkahandle.h"
#include "client/kafkalibrary.h"

#include <QTest>

using namespace periscope::client;

class TestCoreKafkaWrongLibrary final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // zlib: present on every machine that has librdkafka, and without rd_kafka_version.
    void initTestCase() { qputenv("PERISCOPE_LIBRDKAFKA", "libz.so.1"); }

    void refusedWithAMessage()
    {
        QString error;
        QVERIFY(!kafkalibrary::load(&error));
        QCOMPARE(error, QStringLiteral("libz.so.1 is not librdkafka"));
        const KafkaPtr handle = makeHandle(
            HandleType::Consumer, {}, [](const HandleEvent &) {}, &error);
        QVERIFY(!handle);
        QCOMPARE(error, QStringLiteral("cannot load the Kafka client library: libz.so.1 is not "
                                       "librdkafka"));
    }
};

QTEST_GUILESS_MAIN(TestCoreKafkaWrongLibrary)
#include "tst_core_kafkawronglibrary.moc"
