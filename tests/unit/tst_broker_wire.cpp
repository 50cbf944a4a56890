// The broker's encoding primitives: CRC-32C, varints, classic and compact strings/arrays.
#include "wire/crc32c.h"
#include "wire/wire.h"

#include <QTest>

using namespace periscope::broker;

class TestBrokerWire : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crc32cKnownValues_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<quint32>("crc");
        QTest::newRow("empty") << QByteArray() << 0u;
        QTest::newRow("check string") << QByteArray("123456789") << 0xE3069283u;
        QTest::newRow("32 zero bytes") << QByteArray(32, '\0') << 0x8A9136AAu;
        QTest::newRow("32 0xff bytes") << QByteArray(32, '\xff') << 0x62A8AB43u;
    }

    void crc32cKnownValues()
    {
        QFETCH(QByteArray, input);
        QFETCH(quint32, crc);
        QCOMPARE(crc32c(input.constData(), static_cast<std::size_t>(input.size())), crc);
    }

    void crc32cIncremental()
    {
        const QByteArray data =
            QByteArray("The quick brown fox jumps over the lazy dog").repeated(7);
        const auto whole = crc32c(data.constData(), static_cast<std::size_t>(data.size()));
        for (qsizetype split : {1, 7, 8, 13, 100}) {
            const auto first = crc32c(data.constData(), static_cast<std::size_t>(split));
            QCOMPARE(crc32c(data.constData() + split, static_cast<std::size_t>(data.size() - split),
                            first),
                     whole);
        }
    }

    void varintsRoundTrip_data()
    {
        QTest::addColumn<qint64>("value");
        for (qint64 v : {0LL, 1LL, -1LL, 63LL, -64LL, 64LL, 300LL, -300LL, 2147483647LL,
                         -2147483648LL, 9223372036854775807LL, (-9223372036854775807LL - 1)})
            QTest::newRow(qPrintable(QString::number(v))) << v;
    }

    void varintsRoundTrip()
    {
        QFETCH(qint64, value);
        ByteWriter w;
        w.varlong(value);
        ByteReader r(w.buffer().data(), w.size());
        QCOMPARE(r.varlong(), value);
        QCOMPARE(r.remaining(), std::size_t(0));
    }

    void zigzagEncodingIsProtobufs()
    {
        ByteWriter w;
        w.varint(-1);
        w.varint(1);
        w.varint(-64);
        const std::vector<std::uint8_t> expected{0x01, 0x02, 0x7f};
        QCOMPARE(w.buffer(), expected);
    }

    void classicAndCompactEncodings()
    {
        for (bool flexible : {false, true}) {
            ByteWriter w(flexible);
            w.str("topic");
            w.nullStr();
            w.bytes("ab");
            w.nullBytes();
            w.arrayLength(3);
            for (std::int8_t i = 0; i < 3; ++i)
                w.i8(i);
            w.nullArray();
            w.tags();
            ByteReader r(w.buffer().data(), w.size(), flexible);
            QCOMPARE(r.str(), std::string("topic"));
            QVERIFY(!r.nullableStr());
            QCOMPARE(r.bytes(), std::string_view("ab"));
            QVERIFY(!r.nullableBytes());
            QCOMPARE(r.arrayLength(), 3);
            r.skip(3);
            QCOMPARE(r.arrayLength(), -1);
            r.skipTags();
            QCOMPARE(r.remaining(), std::size_t(0));
        }
        ByteWriter compact(true);
        compact.str("ab");
        const std::vector<std::uint8_t> expected{3, 'a', 'b'};
        QCOMPARE(compact.buffer(), expected);
    }

    void taggedFieldsAreSkipped()
    {
        const std::vector<std::uint8_t> bytes{2, 0, 1, 0xaa, 5, 2, 0xbb, 0xcc, 7};
        ByteReader r(bytes.data(), bytes.size(), true);
        r.skipTags();
        QCOMPARE(r.i8(), std::int8_t(7));
    }

    void truncatedInputThrows()
    {
        const std::vector<std::uint8_t> bytes{0, 10, 'a', 'b'};
        ByteReader r(bytes.data(), bytes.size());
        QVERIFY_THROWS_EXCEPTION(WireError, r.str());
        ByteReader r2(bytes.data(), 1);
        QVERIFY_THROWS_EXCEPTION(WireError, r2.i32());
        const std::vector<std::uint8_t> huge{0x7f, 0xff, 0xff, 0xff};
        ByteReader r3(huge.data(), huge.size());
        QVERIFY_THROWS_EXCEPTION(WireError, r3.arrayLength());
        const std::vector<std::uint8_t> endless(12, 0xff);
        ByteReader r4(endless.data(), endless.size());
        QVERIFY_THROWS_EXCEPTION(WireError, r4.uvarint());
    }

    // Compact (flexible) lengths are an unsigned varint of length + 1; the largest ones do
    // not fit a signed length and must be refused, never wrapped (UBSan proves no overflow).
    void hostileCompactLengths_data()
    {
        QTest::addColumn<QByteArray>("varint");
        QTest::newRow("2^63") << QByteArray("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 10);
        QTest::newRow("2^64 - 1") << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10);
        QTest::newRow("2^63 + 1") << QByteArray("\x81\x80\x80\x80\x80\x80\x80\x80\x80\x01", 10);
        QTest::newRow("2^31 + 1") << QByteArray("\x81\x80\x80\x80\x08", 5);
    }

    void hostileCompactLengths()
    {
        QFETCH(QByteArray, varint);
        const std::vector<std::uint8_t> bytes(varint.begin(), varint.end());
        ByteReader strings(bytes.data(), bytes.size(), true);
        QVERIFY_THROWS_EXCEPTION(WireError, strings.nullableStr());
        ByteReader blobs(bytes.data(), bytes.size(), true);
        QVERIFY_THROWS_EXCEPTION(WireError, blobs.nullableBytes());
        ByteReader arrays(bytes.data(), bytes.size(), true);
        QVERIFY_THROWS_EXCEPTION(WireError, arrays.arrayLength());
    }

    void hostileClassicLengths()
    {
        // INT32_MIN and INT32_MAX as byte-string and array lengths.
        for (const std::vector<std::uint8_t> &bytes :
             {std::vector<std::uint8_t>{0x80, 0, 0, 0, 1, 2}, {0x7f, 0xff, 0xff, 0xff, 1, 2}}) {
            ByteReader blobs(bytes.data(), bytes.size());
            const auto b = [&] { return blobs.nullableBytes(); };
            if (bytes[0] == 0x80)
                QVERIFY(!b()); // negative: null, as Kafka reads it
            else
                QVERIFY_THROWS_EXCEPTION(WireError, b());
            ByteReader arrays(bytes.data(), bytes.size());
            QVERIFY_THROWS_EXCEPTION(WireError, arrays.arrayLength());
        }
    }
};

QTEST_GUILESS_MAIN(TestBrokerWire)
#include "tst_broker_wire.moc"
