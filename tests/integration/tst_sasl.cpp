// SASL/PLAIN on periscope-broker (--sasl-plain-users): librdkafka, kcat and kafka-python with
// the right and a wrong password, clients that skip authentication, and the wire details
// (ApiVersions, handshake v0 with a bare token, SaslAuthenticate v2).
#include "kafka.h"
#include "process.h"
#include "testbroker.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>
#include <mutex>

using namespace periscope::test;

namespace {

const char *const kUsers = "alice:s3cret,bob:with:colons";

Props sasl(const std::string &user, const std::string &password)
{
    return {{"security.protocol", "SASL_PLAINTEXT"},
            {"sasl.mechanisms", "PLAIN"},
            {"sasl.username", user},
            {"sasl.password", password}};
}

template <typename T>
QByteArray be(int v)
{
    QByteArray b(sizeof(T), '\0');
    qToBigEndian<T>(static_cast<T>(v), b.data());
    return b;
}
const auto be16 = be<qint16>;
const auto be32 = be<qint32>;

QByteArray str16(const QByteArray &s)
{
    return be16(static_cast<int>(s.size())) + s;
}

// Kafka requests by hand on one connection.
class RawClient
{
public:
    explicit RawClient(int port) { m_socket.connectToHost(QStringLiteral("127.0.0.1"), port); }
    bool connected() { return m_socket.waitForConnected(5000); }

    // Sends a size-prefixed frame and returns the answer's payload (without the size);
    // empty when the broker closed the connection instead.
    QByteArray exchange(const QByteArray &frame)
    {
        m_socket.write(be32(static_cast<int>(frame.size())) + frame);
        QByteArray in;
        while (m_socket.state() == QAbstractSocket::ConnectedState || m_socket.bytesAvailable()) {
            in += m_socket.readAll();
            if (in.size() >= 4 && in.size() >= 4 + qFromBigEndian<qint32>(in.constData()))
                return in.mid(4, qFromBigEndian<qint32>(in.constData()));
            if (!m_socket.waitForReadyRead(5000) && !m_socket.bytesAvailable())
                break;
        }
        return {};
    }
    // A request with header v1 (v2 when flexible); returns the body after the correlation id.
    QByteArray request(int key, int version, const QByteArray &body, bool flexible = false)
    {
        const QByteArray header = be16(key) + be16(version) + be32(++m_correlation) +
                                  str16("raw-test") + (flexible ? QByteArray(1, '\0') : "");
        const QByteArray answer = exchange(header + body);
        return answer.size() < 4 ? QByteArray() : answer.mid(flexible ? 5 : 4);
    }
    bool closedByBroker()
    {
        if (m_socket.state() == QAbstractSocket::ConnectedState)
            m_socket.waitForDisconnected(5000);
        return m_socket.state() == QAbstractSocket::UnconnectedState;
    }

private:
    QTcpSocket m_socket;
    int m_correlation = 0;
};

// The API keys an ApiVersions v0 answer lists.
QList<int> advertisedKeys(int port)
{
    RawClient c(port);
    const QByteArray r = c.connected() ? c.request(18, 0, {}) : QByteArray();
    QList<int> keys;
    for (int i = 0; r.size() >= 12 + 6 * i && i < qFromBigEndian<qint32>(r.constData() + 2); ++i)
        keys.append(qFromBigEndian<qint16>(r.constData() + 6 + 6 * i));
    return keys;
}

struct ErrorSeen
{
    std::atomic<int> code{0};
    std::string text;
    std::mutex mutex;
};

void onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *seen = static_cast<ErrorSeen *>(opaque);
    std::lock_guard lock(seen->mutex);
    if (seen->code == 0 || err == RD_KAFKA_RESP_ERR__AUTHENTICATION) {
        seen->text = reason;
        seen->code = err;
    }
}

} // namespace

class TestSasl : public QObject
{
    Q_OBJECT

    TestBroker m_broker{{QStringLiteral("--sasl-plain-users"), QString::fromLatin1(kUsers)}};

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_broker.start()); }

    void rightPasswordProducesAndConsumes()
    {
        auto producer = makeProducer(m_broker.bootstrapStd(), sasl("alice", "s3cret"));
        QVERIFY(producer);
        const rd_kafka_metadata_t *md = nullptr;
        QCOMPARE(rd_kafka_metadata(producer.get(), 1, nullptr, &md, 10000),
                 RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(md->broker_cnt, 1);
        rd_kafka_metadata_destroy(md);
        for (int i = 0; i < 20; ++i) {
            const std::string v = "secret-" + std::to_string(i);
            rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("secure"),
                              RD_KAFKA_V_VALUE(const_cast<char *>(v.data()), v.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        }
        QCOMPARE(flushProducer(producer.get(), 20000), 0);
        // A password with colons: only the first one separates it from the user.
        const auto read =
            readAll(m_broker.bootstrapStd(), "secure", 1, 20, 20000, sasl("bob", "with:colons"));
        QCOMPARE(read.size(), std::size_t(20));
        QCOMPARE(read.back().value, std::string("secret-19"));
    }

    void wrongPasswordIsReported()
    {
        ErrorSeen seen;
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        Props props = sasl("alice", "wrong-pass");
        props["bootstrap.servers"] = m_broker.bootstrapStd();
        props["log_level"] = "0";
        char err[512];
        for (const auto &[k, v] : props)
            rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err);
        rd_kafka_conf_set_error_cb(conf, onError);
        rd_kafka_conf_set_opaque(conf, &seen);
        KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err));
        QVERIFY(rk);
        QElapsedTimer t;
        t.start();
        const rd_kafka_metadata_t *md = nullptr;
        QVERIFY(rd_kafka_metadata(rk.get(), 1, nullptr, &md, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR);
        while (seen.code != RD_KAFKA_RESP_ERR__AUTHENTICATION && t.elapsed() < 15000)
            rd_kafka_poll(rk.get(), 100);
        QCOMPARE(seen.code.load(), int(RD_KAFKA_RESP_ERR__AUTHENTICATION));
        std::lock_guard lock(seen.mutex);
        QVERIFY2(QString::fromStdString(seen.text).contains(
                     QStringLiteral("Invalid username or password")),
                 seen.text.c_str());
        QTRY_VERIFY(m_broker.recentLog().contains(QStringLiteral("authentication failed")));
        QVERIFY(!m_broker.recentLog().contains(QStringLiteral("wrong-pass")));
        QVERIFY(!m_broker.recentLog().contains(QStringLiteral("s3cret")));
    }

    void plaintextClientIsTurnedAway()
    {
        auto plain = makeProducer(m_broker.bootstrapStd(), {{"log_level", "0"}});
        const rd_kafka_metadata_t *md = nullptr;
        QVERIFY(rd_kafka_metadata(plain.get(), 1, nullptr, &md, 3000) !=
                RD_KAFKA_RESP_ERR_NO_ERROR);
        QTRY_VERIFY(m_broker.recentLog().contains(QStringLiteral("before SASL authentication")));
        // Others are still served meanwhile.
        auto good = makeProducer(m_broker.bootstrapStd(), sasl("alice", "s3cret"));
        QCOMPARE(rd_kafka_metadata(good.get(), 1, nullptr, &md, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_metadata_destroy(md);
    }

    void apiVersionsListsSaslOnlyWhenEnabled()
    {
        const QList<int> keys = advertisedKeys(m_broker.port());
        QVERIFY(keys.contains(17) && keys.contains(36) && keys.contains(3));
        TestBroker plain;
        QVERIFY(plain.start());
        const QList<int> plainKeys = advertisedKeys(plain.port());
        QVERIFY(plainKeys.contains(3));
        QVERIFY(!plainKeys.contains(17) && !plainKeys.contains(36));
        RawClient c(plain.port()); // and a plaintext broker does not answer them
        QVERIFY(c.connected());
        QVERIFY(c.request(17, 1, str16("PLAIN")).isEmpty());
        QVERIFY(plain.stop());
    }

    void wireDetails()
    {
        const QByteArray plainList = be32(1) + str16("PLAIN");
        {
            RawClient c(m_broker.port()); // no handshake: the request ends the connection
            QVERIFY(c.connected());
            QVERIFY(c.request(3, 0, be32(0)).isEmpty());
            QVERIFY(c.closedByBroker());
        }
        {
            RawClient c(m_broker.port());
            QVERIFY(c.connected());
            QCOMPARE(c.request(17, 1, str16("SCRAM-SHA-256")), be16(33) + plainList);
            QVERIFY(c.closedByBroker());
        }
        {
            RawClient c(m_broker.port()); // v0: a bare token, answered by an empty frame
            QVERIFY(c.connected());
            QCOMPARE(c.request(17, 0, str16("PLAIN")), be16(0) + plainList);
            QCOMPARE(c.exchange(QByteArray("alice\0alice\0s3cret", 18)), QByteArray());
            QCOMPARE(c.request(3, 0, be32(0)).left(4), be32(1)); // one broker
        }
        {
            RawClient c(m_broker.port()); // v2 is flexible: compact fields, tagged sections
            QVERIFY(c.connected());
            QCOMPARE(c.request(17, 1, str16("PLAIN")), be16(0) + plainList);
            const QByteArray token("\0alice\0nope", 11);
            const QByteArray failed = c.request(36, 2, char(token.size() + 1) + token + '\0', true);
            const QByteArray message("Authentication failed: Invalid username or password");
            QCOMPARE(failed, be16(58) + char(message.size() + 1) + message + char(1) +
                                 QByteArray(8, '\0') + '\0');
            QVERIFY(c.closedByBroker());
        }
        {
            RawClient c(m_broker.port());
            QVERIFY(c.connected());
            QCOMPARE(c.request(17, 1, str16("PLAIN")), be16(0) + plainList);
            const QByteArray token("\0alice\0s3cret", 13);
            QCOMPARE(c.request(36, 1, be32(int(token.size())) + token),
                     be16(0) + be16(-1) + be32(0) + QByteArray(8, '\0'));
            QCOMPARE(c.request(3, 0, be32(0)).left(4), be32(1));
        }
    }

    void kcat()
    {
        const QString kcat = QStringLiteral("/usr/bin/kcat");
        if (!QFileInfo(kcat).isExecutable())
            QSKIP("kcat is not installed (./dev installs it)");
        const auto args = [&](const QString &password) {
            return QStringLiteral("-b %1 -L -m 5 -X security.protocol=SASL_PLAINTEXT -X "
                                  "sasl.mechanisms=PLAIN -X sasl.username=alice -X "
                                  "sasl.password=%2")
                .arg(m_broker.bootstrap(), password)
                .split(QLatin1Char(' '));
        };
        const Run good = run(kcat, args(QStringLiteral("s3cret")));
        QVERIFY2(good.exitCode == 0, qPrintable(good.err));
        QVERIFY(good.out.contains(QStringLiteral("1 brokers:")));
        const Run bad = run(kcat, args(QStringLiteral("wrong")));
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains(QStringLiteral("Authentication failed")), qPrintable(bad.err));
    }

    void kafkaPython()
    {
        const QString python = QStringLiteral("/usr/bin/python3");
        if (run(python, {QStringLiteral("-c"), QStringLiteral("import kafka")}).exitCode != 0)
            QSKIP("python3-kafka is not installed (./dev installs it)");
        // kafka-python 2.0.2 shakes hands with v0 and sends the bare token.
        const QString script =
            QStringLiteral("import sys\n"
                           "from kafka import KafkaProducer\n"
                           "p = KafkaProducer(bootstrap_servers=sys.argv[1],\n"
                           "    security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN',\n"
                           "    sasl_plain_username='alice', sasl_plain_password=sys.argv[2],\n"
                           "    request_timeout_ms=5000)\n"
                           "p.send('python-secure', b'hello').get(timeout=10)\n"
                           "p.close()\n"
                           "print('OK')\n");
        const Run good = run(
            python, {QStringLiteral("-c"), script, m_broker.bootstrap(), QStringLiteral("s3cret")});
        QVERIFY2(good.out.contains(QStringLiteral("OK")), qPrintable(good.err));
        const Run bad = run(
            python, {QStringLiteral("-c"), script, m_broker.bootstrap(), QStringLiteral("wrong")});
        QVERIFY(bad.exitCode != 0);
        QVERIFY(!bad.out.contains(QStringLiteral("OK")));
    }

    void cleanupTestCase() { QVERIFY(m_broker.stop()); }
};

QTEST_GUILESS_MAIN(TestSasl)
#include "tst_sasl.moc"
