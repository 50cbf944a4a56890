// The decompressor for Kafka's codecs: every framing clients write, broken streams, and the
// bound on what a batch may expand to.
#include "brokercompression.h"
#include "wire/decompress.h"

#include <QTest>

using namespace periscope::broker;
using namespace periscope::broker::testdata;

Q_DECLARE_METATYPE(std::string)

namespace {
QTestData &row(int codec, const char *what)
{
    return QTest::newRow(qPrintable(
        QStringLiteral("%1: %2").arg(QLatin1String(codecName(codec)), QLatin1String(what))));
}

Decompressed run(int codec, const std::string &in, std::vector<std::uint8_t> &out,
                 std::size_t limit = kMaxDecompressedBatchBytes)
{
    return decompress(codec, reinterpret_cast<const std::uint8_t *>(in.data()), in.size(), out,
                      limit);
}

// Text that compresses, but not to nothing.
std::string sample(std::size_t size)
{
    std::string s(size, 'a');
    for (std::size_t i = 0; i < size; i += 7)
        s[i] = static_cast<char>('a' + i % 13);
    return s;
}

// One compressed frame, again and again: a bomb that costs its maker one frame.
std::string repeated(const std::string &frame, int times)
{
    std::string out;
    out.reserve(frame.size() * static_cast<std::size_t>(times));
    for (int i = 0; i < times; ++i)
        out += frame;
    return out;
}
} // namespace

class TestBrokerDecompress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framingsClientsWrite_data()
    {
        QTest::addColumn<int>("codec");
        QTest::addColumn<std::string>("packed");
        QTest::addColumn<std::string>("plain");
        const std::string plain = sample(100000);
        const std::string head = plain.substr(0, 333), tail = plain.substr(333);
        for (int codec = Gzip; codec <= Zstd; ++codec)
            row(codec, "usual") << codec << compress(codec, plain) << plain;
        row(Gzip, "two members") << int(Gzip) << gzip(head) + gzip(tail) << plain;
        row(Snappy, "xerial, 100-byte blocks") << int(Snappy) << xerialSnappy(plain, 100) << plain;
        row(Snappy, "xerial, no blocks")
            << int(Snappy) << xerialSnappy(std::string()) << std::string();
        row(Snappy, "raw") << int(Snappy) << rawSnappy(plain) << plain;
        row(Lz4, "two frames") << int(Lz4) << lz4Frame(head) + lz4Frame(tail) << plain;
        row(Zstd, "no content size") << int(Zstd) << zstdFrame(plain, false) << plain;
        row(Zstd, "two frames") << int(Zstd) << zstdFrame(head) + zstdFrame(tail, false) << plain;
    }

    void framingsClientsWrite()
    {
        QFETCH(int, codec);
        QFETCH(std::string, packed);
        QFETCH(std::string, plain);
        std::vector<std::uint8_t> out{1, 2, 3}; // replaced, not appended to
        QCOMPARE(run(codec, packed, out), Decompressed::Ok);
        QVERIFY(std::equal(out.begin(), out.end(), plain.begin(), plain.end()));
    }

    void brokenStreamsAreCorrupt_data()
    {
        QTest::addColumn<int>("codec");
        QTest::addColumn<std::string>("packed");
        const std::string plain = sample(1000);
        for (int codec = Gzip; codec <= Zstd; ++codec) {
            const std::string packed = compress(codec, plain);
            row(codec, "garbage") << codec << std::string(40, '\xff');
            row(codec, "empty") << codec << std::string();
            row(codec, "last 3 bytes cut") << codec << packed.substr(0, packed.size() - 3);
            row(codec, "bytes after the stream") << codec << packed + "junk";
            row(codec, "not compressed") << codec << plain;
        }
        std::string xerial = xerialSnappy(plain);
        xerial[16] = '\x7f'; // the first block's length, far past the end
        row(Snappy, "block length past the end") << int(Snappy) << xerial;
        row(Snappy, "header cut") << int(Snappy) << std::string("\x82SNAPPY\0\0\0\0\x01", 12);
        row(Snappy, "block length cut") << int(Snappy) << xerialSnappy(plain).substr(0, 18);
    }

    void brokenStreamsAreCorrupt()
    {
        QFETCH(int, codec);
        QFETCH(std::string, packed);
        std::vector<std::uint8_t> out;
        QCOMPARE(run(codec, packed, out), Decompressed::Corrupt);
    }

    // A few kilobytes that would expand to gigabytes are refused once past the bound,
    // without holding more than the bound on the way.
    void bombsStopAtTheBound_data()
    {
        QTest::addColumn<int>("codec");
        QTest::addColumn<std::string>("packed");
        const std::string zeros(std::size_t(64) << 20, '\0');
        row(Gzip, "4 GiB") << int(Gzip) << repeated(gzip(zeros), 64);
        row(Lz4, "4 GiB") << int(Lz4) << repeated(lz4Frame(zeros), 64);
        row(Zstd, "4 GiB") << int(Zstd) << repeated(zstdFrame(zeros, false), 64);
        // Snappy expands about 20 times at most: past the bound, but no further.
        row(Snappy, "128 MiB") << int(Snappy) << xerialSnappy(zeros + zeros, 1 << 20);
        // The length a raw snappy block claims is believed only up to the bound.
        row(Snappy, "claims 4 GiB") << int(Snappy) << std::string("\xff\xff\xff\xff\x0f\0", 6);
    }

    void bombsStopAtTheBound()
    {
        QFETCH(int, codec);
        QFETCH(std::string, packed);
        std::vector<std::uint8_t> out;
        QCOMPARE(run(codec, packed, out), Decompressed::TooLarge);
        QVERIFY2(out.capacity() <= kMaxDecompressedBatchBytes + 1,
                 qPrintable(QString::number(out.capacity())));
    }

    // Exactly the bound is allowed; a byte more is not.
    void theBoundIsExact_data()
    {
        QTest::addColumn<int>("codec");
        for (int codec = Gzip; codec <= Zstd; ++codec)
            QTest::newRow(codecName(codec)) << codec;
    }

    void theBoundIsExact()
    {
        QFETCH(int, codec);
        const std::size_t limit = 100000;
        std::vector<std::uint8_t> out;
        for (const std::size_t size : {limit - 1, limit, limit + 1, 3 * limit}) {
            const std::string plain = sample(size);
            const auto result = run(codec, compress(codec, plain), out, limit);
            QCOMPARE(result, size <= limit ? Decompressed::Ok : Decompressed::TooLarge);
            if (result == Decompressed::Ok)
                QVERIFY(std::equal(out.begin(), out.end(), plain.begin(), plain.end()));
            QVERIFY(out.capacity() <= limit + 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestBrokerDecompress)
#include "tst_broker_decompress.moc"
