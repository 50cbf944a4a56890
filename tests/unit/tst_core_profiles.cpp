#include "profiles/profile.h"

#include <QJsonDocument>
#include <QTest>

using namespace periscope::profiles;
using Protocol = Profile::SecurityProtocol;
using Mechanism = Profile::SaslMechanism;
using Properties = QMap<QString, QString>;

class TestProfiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTrip();
    void jsonDefaults();
    void properties_data();
    void properties();
    void bootstrap_data();
    void bootstrap();
    void redact_data();
    void redact();
};

static Profile fullProfile()
{
    Profile p;
    p.id = newProfileId();
    p.name = QStringLiteral("Production");
    p.bootstrap = QStringLiteral("a.example.com:9093,b.example.com:9093");
    p.securityProtocol = Protocol::SaslSsl;
    p.saslMechanism = Mechanism::ScramSha512;
    p.username = QStringLiteral("alice");
    p.caFile = QStringLiteral("/etc/ca.pem");
    p.certFile = QStringLiteral("/etc/cert.pem");
    p.keyFile = QStringLiteral("/etc/key.pem");
    p.verifyHostname = false;
    p.oauthTokenEndpoint = QStringLiteral("https://idp/token");
    p.oauthClientId = QStringLiteral("client");
    p.oauthScope = QStringLiteral("kafka");
    p.kerberosServiceName = QStringLiteral("kafka");
    p.kerberosPrincipal = QStringLiteral("alice@EXAMPLE.COM");
    p.kerberosKeytab = QStringLiteral("/etc/alice.keytab");
    p.extraProperties = {{QStringLiteral("client.id"), QStringLiteral("periscope")}};
    p.readOnly = true;
    p.colour = QStringLiteral("#ff8800");
    p.isLocal = true;
    return p;
}

void TestProfiles::jsonRoundTrip()
{
    const Profile p = fullProfile();
    const QJsonObject json = toJson(p);
    QCOMPARE(fromJson(json), p);
    const QByteArray text = QJsonDocument(json).toJson();
    QVERIFY(!text.contains("password"));
    QVERIFY(!text.contains("secret"));
    QVERIFY(text.contains("\"sasl_ssl\""));
    QVERIFY(text.contains("\"SCRAM-SHA-512\""));
}

void TestProfiles::jsonDefaults()
{
    const Profile p = fromJson(QJsonObject{{QStringLiteral("securityProtocol"), 42}});
    QCOMPARE(p, Profile{});
    QVERIFY(p.verifyHostname);
}

void TestProfiles::properties_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::addColumn<Secrets>("secrets");
    QTest::addColumn<Properties>("expected");

    Profile base;
    base.bootstrap = QStringLiteral("h1:9092, h2:9092");
    base.username = QStringLiteral("user");
    base.caFile = QStringLiteral("/ca.pem");
    base.oauthClientId = QStringLiteral("cid");
    base.kerberosPrincipal = QStringLiteral("me@R");
    const Secrets secrets{QStringLiteral("pw"), QStringLiteral("kpw"), QStringLiteral("cs")};
    const auto with = [&base](Protocol protocol, Mechanism mechanism) {
        Profile p = base;
        p.securityProtocol = protocol;
        p.saslMechanism = mechanism;
        return p;
    };
    const auto props = [](std::initializer_list<std::pair<const char *, const char *>> list) {
        Properties map{{QStringLiteral("bootstrap.servers"), QStringLiteral("h1:9092,h2:9092")}};
        for (const auto &[key, value] : list)
            map.insert(QString::fromLatin1(key), QString::fromLatin1(value));
        return map;
    };

    QTest::newRow("plaintext") << with(Protocol::Plaintext, Mechanism::Plain) << secrets
                               << props({{"security.protocol", "plaintext"}});
    QTest::newRow("ssl") << with(Protocol::Ssl, Mechanism::Plain) << secrets
                         << props({{"security.protocol", "ssl"},
                                   {"ssl.ca.location", "/ca.pem"},
                                   {"ssl.key.password", "kpw"},
                                   {"ssl.endpoint.identification.algorithm", "https"}});
    Profile noVerify = with(Protocol::Ssl, Mechanism::Plain);
    noVerify.verifyHostname = false;
    QTest::newRow("ssl no hostname check")
        << noVerify << Secrets{}
        << props({{"security.protocol", "ssl"},
                  {"ssl.ca.location", "/ca.pem"},
                  {"ssl.endpoint.identification.algorithm", "none"}});
    QTest::newRow("sasl_plaintext scram-256")
        << with(Protocol::SaslPlaintext, Mechanism::ScramSha256) << secrets
        << props({{"security.protocol", "sasl_plaintext"},
                  {"sasl.mechanisms", "SCRAM-SHA-256"},
                  {"sasl.username", "user"},
                  {"sasl.password", "pw"}});
    QTest::newRow("sasl_ssl plain") << with(Protocol::SaslSsl, Mechanism::Plain) << secrets
                                    << props({{"security.protocol", "sasl_ssl"},
                                              {"sasl.mechanisms", "PLAIN"},
                                              {"sasl.username", "user"},
                                              {"sasl.password", "pw"},
                                              {"ssl.ca.location", "/ca.pem"},
                                              {"ssl.key.password", "kpw"},
                                              {"ssl.endpoint.identification.algorithm", "https"}});
    QTest::newRow("sasl_plaintext oauth")
        << with(Protocol::SaslPlaintext, Mechanism::OAuthBearer) << secrets
        << props({{"security.protocol", "sasl_plaintext"},
                  {"sasl.mechanisms", "OAUTHBEARER"},
                  {"sasl.oauthbearer.method", "oidc"},
                  {"sasl.oauthbearer.client.id", "cid"},
                  {"sasl.oauthbearer.client.secret", "cs"}});
    QTest::newRow("sasl_plaintext gssapi")
        << with(Protocol::SaslPlaintext, Mechanism::Gssapi) << secrets
        << props({{"security.protocol", "sasl_plaintext"},
                  {"sasl.mechanisms", "GSSAPI"},
                  {"sasl.kerberos.principal", "me@R"}});
    Profile extras = with(Protocol::Ssl, Mechanism::Plain);
    extras.extraProperties = {
        {QStringLiteral("ssl.endpoint.identification.algorithm"), QStringLiteral("none")},
        {QStringLiteral("client.id"), QStringLiteral("x")}};
    QTest::newRow("extras override") << extras << Secrets{}
                                     << props({{"security.protocol", "ssl"},
                                               {"ssl.ca.location", "/ca.pem"},
                                               {"ssl.endpoint.identification.algorithm", "none"},
                                               {"client.id", "x"}});
}

void TestProfiles::properties()
{
    QFETCH(Profile, profile);
    QFETCH(Secrets, secrets);
    QFETCH(Properties, expected);
    QCOMPARE(librdkafkaProperties(profile, secrets), expected);
}

void TestProfiles::bootstrap_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("one") << QStringLiteral("localhost:9092") << true;
    QTest::newRow("list") << QStringLiteral("a.b:1, 10.0.0.1:65535") << true;
    QTest::newRow("ipv6") << QStringLiteral("[::1]:9092") << true;
    QTest::newRow("scheme") << QStringLiteral("SASL_SSL://a:9092") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("no port") << QStringLiteral("localhost") << false;
    QTest::newRow("no host") << QStringLiteral(":9092") << false;
    QTest::newRow("big port") << QStringLiteral("a:70000") << false;
    QTest::newRow("empty entry") << QStringLiteral("a:1,,b:2") << false;
    QTest::newRow("space in host") << QStringLiteral("my host:1") << false;
}

void TestProfiles::bootstrap()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QCOMPARE(validateBootstrap(text).isEmpty(), valid);
}

void TestProfiles::redact_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    QTest::newRow("plain") << s("sasl.password=hunter2") << s("sasl.password=***");
    QTest::newRow("spaces") << s("ssl.key.password = k3y") << s("ssl.key.password = ***");
    QTest::newRow("case") << s("SASL.PASSWORD=x") << s("SASL.PASSWORD=***");
    QTest::newRow("username kept") << s("sasl.username=bob") << s("sasl.username=bob");
    QTest::newRow("dump") << s("bootstrap.servers=a:1, sasl.password=pw, client.id=c")
                          << s("bootstrap.servers=a:1, sasl.password=***, client.id=c");
    QTest::newRow("lines")
        << s("sasl.oauthbearer.client.secret=abc\nsasl.oauthbearer.client.id=id")
        << s("sasl.oauthbearer.client.secret=***\nsasl.oauthbearer.client.id=id");
    QTest::newRow("jaas") << s("sasl.jaas.config=x.PlainLoginModule required username=\"u\" "
                               "password=\"p\";\nnext=1")
                          << s("sasl.jaas.config=***\nnext=1");
    QTest::newRow("quoted") << s("login password=\"p w\" ok") << s("login password=*** ok");
    QTest::newRow("keystore") << s("ssl.keystore.password: changeit")
                              << s("ssl.keystore.password: ***");
    QTest::newRow("no secret") << s("client.id=password-service")
                               << s("client.id=password-service");
}

void TestProfiles::redact()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(periscope::profiles::redact(text), expected);
    QVERIFY(secretPropertyNames().contains(QStringLiteral("sasl.password")));
}

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_core_profiles.moc"
