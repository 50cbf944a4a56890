#include "profiles/importer.h"
#include "profiles/presets.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace periscope::profiles;
using Protocol = Profile::SecurityProtocol;
using Mechanism = Profile::SaslMechanism;

class TestProfileImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void importer_data();
    void importer();
    void extras();
    void javaOnlyAndSecretKeysDropped();
    void importFile();
    void eventHubs_data();
    void eventHubs();
    void eventHubsApply();
    void presets();
};

void TestProfileImport::importer_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("bootstrap");
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("mechanism");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<bool>("verifyHostname");
    QTest::addColumn<QString>("warning"); // a substring of the only warning, or empty
    QTest::addColumn<QString>("error");   // a substring of the error, or empty
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    const auto p = [](Protocol v) { return int(v); };
    const auto m = [](Mechanism v) { return int(v); };

    QTest::newRow("java plain jaas")
        << s("# Confluent Cloud\nbootstrap.servers=pkc-1.confluent.cloud:9092\n"
             "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
             "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
             "required username=\"KEY\" password=\"S3CR=T\";\n")
        << s("pkc-1.confluent.cloud:9092") << p(Protocol::SaslSsl) << m(Mechanism::Plain)
        << s("KEY") << s("S3CR=T") << QString() << true << QString() << QString();
    QTest::newRow("java scram continued")
        << s("bootstrap.servers = b-1:9096,b-2:9096\r\nsecurity.protocol = SASL_SSL\r\n"
             "sasl.mechanism = SCRAM-SHA-512\r\nsasl.jaas.config = org.apache.kafka.common."
             "security.scram.ScramLoginModule required \\\r\n    username=\"alice\" \\\r\n"
             "    password=\"pw\";\r\nssl.endpoint.identification.algorithm=\r\n")
        << s("b-1:9096,b-2:9096") << p(Protocol::SaslSsl) << m(Mechanism::ScramSha512) << s("alice")
        << s("pw") << QString() << false << QString() << QString();
    QTest::newRow("kcat config")
        << s("# kcat -F\nmetadata.broker.list=r:9092\nsecurity.protocol=sasl_ssl\n\n"
             "sasl.mechanisms=SCRAM-SHA-256\nsasl.username=bob\nsasl.password=b0b\n"
             "ssl.ca.location=/etc/ca.pem\n")
        << s("r:9092") << p(Protocol::SaslSsl) << m(Mechanism::ScramSha256) << s("bob") << s("b0b")
        << s("/etc/ca.pem") << true << QString() << QString();
    QTest::newRow("jks truststore")
        << s("bootstrap.servers=s:9093\nsecurity.protocol=SSL\n"
             "ssl.truststore.location=/x/truststore.jks\nssl.truststore.password=changeit\n")
        << s("s:9093") << p(Protocol::Ssl) << m(Mechanism::Plain) << QString() << QString()
        << QString() << true << s("JKS") << QString();
    QTest::newRow("pem truststore")
        << s("bootstrap.servers=s:9093\nsecurity.protocol=SSL\nssl.truststore.type=PEM\n"
             "ssl.truststore.location=/x/ca.crt\n")
        << s("s:9093") << p(Protocol::Ssl) << m(Mechanism::Plain) << QString() << QString()
        << s("/x/ca.crt") << true << QString() << QString();
    QTest::newRow("sasl without mechanism")
        << s("bootstrap.servers=k:9092\nsecurity.protocol=SASL_PLAINTEXT\n") << s("k:9092")
        << p(Protocol::SaslPlaintext) << m(Mechanism::Gssapi) << QString() << QString() << QString()
        << true << QString() << QString();
    QTest::newRow("no bootstrap") << s("security.protocol=PLAINTEXT\n") << QString()
                                  << p(Protocol::Plaintext) << m(Mechanism::Plain) << QString()
                                  << QString() << QString() << true << s("bootstrap") << QString();
    QTest::newRow("malformed line")
        << s("bootstrap.servers=a:1\n# fine\nthis line is wrong\n") << QString()
        << p(Protocol::Plaintext) << m(Mechanism::Plain) << QString() << QString() << QString()
        << true << QString() << s("Line 3");
    QTest::newRow("empty key") << s("\n=value\n") << QString() << p(Protocol::Plaintext)
                               << m(Mechanism::Plain) << QString() << QString() << QString() << true
                               << QString() << s("Line 2");
}

void TestProfileImport::importer()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const ImportResult result = importClientConfig(text);
    if (!error.isEmpty()) {
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(error), qPrintable(result.error));
        return;
    }
    QVERIFY2(result.ok(), qPrintable(result.error));
    QFETCH(QString, bootstrap);
    QFETCH(int, protocol);
    QFETCH(int, mechanism);
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(QString, caFile);
    QFETCH(bool, verifyHostname);
    QFETCH(QString, warning);
    QCOMPARE(result.profile.bootstrap, bootstrap);
    QCOMPARE(int(result.profile.securityProtocol), protocol);
    QCOMPARE(int(result.profile.saslMechanism), mechanism);
    QCOMPARE(result.profile.username, username);
    QCOMPARE(result.secrets.password, password);
    QCOMPARE(result.profile.caFile, caFile);
    QCOMPARE(result.profile.verifyHostname, verifyHostname);
    QVERIFY(!result.profile.id.isEmpty());
    QVERIFY(result.profile.extraProperties.isEmpty());
    if (warning.isEmpty()) {
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(QLatin1Char('\n'))));
    } else {
        QCOMPARE(result.warnings.size(), 1);
        QVERIFY2(result.warnings.first().contains(warning), qPrintable(result.warnings.first()));
    }
}

void TestProfileImport::extras()
{
    const ImportResult result = importClientConfig(
        QStringLiteral("bootstrap.servers=a:1\nclient.id=kcat\nsocket.timeout.ms = 5000\n"));
    QVERIFY(result.ok());
    const QList<QPair<QString, QString>> expected{
        {QStringLiteral("client.id"), QStringLiteral("kcat")},
        {QStringLiteral("socket.timeout.ms"), QStringLiteral("5000")}};
    QCOMPARE(result.profile.extraProperties, expected);
}

void TestProfileImport::javaOnlyAndSecretKeysDropped()
{
    const ImportResult result = importClientConfig(QStringLiteral(
        "bootstrap.servers=a:1\nkey.serializer=org.apache.kafka.StringSerializer\n"
        "sasl.login.callback.handler.class=x.Handler\nbasic.auth.user.info=u:secret\n"));
    QVERIFY(result.ok());
    QVERIFY(result.profile.extraProperties.isEmpty());
    QCOMPARE(result.warnings.size(), 3);
    QVERIFY(result.warnings.at(2).contains(QLatin1String("Line 4")));
    QVERIFY(!result.warnings.join(QLatin1Char(' ')).contains(QLatin1String("u:secret")));
}

void TestProfileImport::importFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("staging.properties"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("bootstrap.servers=stage:9092\n");
    file.close();
    const ImportResult result = importClientConfigFile(path);
    QVERIFY(result.ok());
    QCOMPARE(result.profile.name, QStringLiteral("staging"));
    QCOMPARE(result.profile.bootstrap, QStringLiteral("stage:9092"));
    QVERIFY(!importClientConfigFile(dir.filePath(QStringLiteral("missing"))).ok());
}

void TestProfileImport::eventHubs_data()
{
    QTest::addColumn<QString>("connectionString");
    QTest::addColumn<QString>("bootstrap"); // empty: rejected
    QTest::newRow("namespace")
        << QStringLiteral("Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName="
                          "RootManageSharedAccessKey;SharedAccessKey=abc+/def=")
        << QStringLiteral("myns.servicebus.windows.net:9093");
    QTest::newRow("entity path, spaces")
        << QStringLiteral(" endpoint = sb://other.servicebus.windows.net/ ;SharedAccessKeyName=k;"
                          "SharedAccessKey=v;EntityPath=hub ")
        << QStringLiteral("other.servicebus.windows.net:9093");
    QTest::newRow("no endpoint") << QStringLiteral("SharedAccessKeyName=k;SharedAccessKey=v")
                                 << QString();
    QTest::newRow("wrong scheme")
        << QStringLiteral("Endpoint=https://x.servicebus.windows.net/;SharedAccessKey=v")
        << QString();
    QTest::newRow("garbage") << QStringLiteral("hello") << QString();
}

void TestProfileImport::eventHubs()
{
    QFETCH(QString, connectionString);
    QFETCH(QString, bootstrap);
    QCOMPARE(eventHubsBootstrap(connectionString).value_or(QString()), bootstrap);
}

void TestProfileImport::eventHubsApply()
{
    const QString text = QStringLiteral(
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=k=");
    Profile profile;
    Secrets secrets;
    QVERIFY(applyEventHubsConnectionString(profile, secrets, text).isEmpty());
    QCOMPARE(profile.bootstrap, QStringLiteral("ns.servicebus.windows.net:9093"));
    QCOMPARE(profile.securityProtocol, Protocol::SaslSsl);
    QCOMPARE(profile.saslMechanism, Mechanism::Plain);
    QCOMPARE(profile.username, QStringLiteral("$ConnectionString"));
    QCOMPARE(secrets.password, text);

    Profile untouched;
    Secrets none;
    QVERIFY(!applyEventHubsConnectionString(
                 untouched, none, QStringLiteral("Endpoint=sb://ns.servicebus.windows.net/"))
                 .isEmpty());
    QCOMPARE(untouched, Profile{});
    QVERIFY(none.isEmpty());
}

void TestProfileImport::presets()
{
    const QList<Preset> all = periscope::profiles::presets();
    QVERIFY(all.size() >= 9);
    QSet<QString> ids;
    for (const Preset &preset : all) {
        QVERIFY(!preset.name.isEmpty() && !preset.hint.isEmpty() && preset.apply);
        QVERIFY2(validateBootstrap(preset.bootstrapExample).isEmpty(), qPrintable(preset.id));
        ids.insert(preset.id);
    }
    QCOMPARE(ids.size(), all.size());

    const auto applied = [](const char *id) {
        Profile p;
        findPreset(QString::fromLatin1(id))->apply(p);
        return p;
    };
    QCOMPARE(applied("local").bootstrap, QStringLiteral("127.0.0.1:9092"));
    QCOMPARE(applied("local").securityProtocol, Protocol::Plaintext);
    QCOMPARE(applied("confluent-cloud").securityProtocol, Protocol::SaslSsl);
    QCOMPARE(applied("confluent-cloud").saslMechanism, Mechanism::Plain);
    QCOMPARE(applied("msk-tls").securityProtocol, Protocol::Ssl);
    QCOMPARE(applied("msk-scram").saslMechanism, Mechanism::ScramSha512);
    QCOMPARE(applied("event-hubs").username, QStringLiteral("$ConnectionString"));
    QCOMPARE(applied("aiven-scram").saslMechanism, Mechanism::ScramSha256);
    QCOMPARE(applied("redpanda").saslMechanism, Mechanism::ScramSha256);
    QCOMPARE(applied("strimzi").securityProtocol, Protocol::Ssl);
    QVERIFY(!findPreset(QStringLiteral("nope")));
}

QTEST_GUILESS_MAIN(TestProfileImport)
#include "tst_core_profileimport.moc"
