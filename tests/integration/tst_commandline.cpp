// The console's command line as people start it without a window: over ssh, in a package
// check, in a script. What only prints must work with no display at all; what needs a
// window says so plainly instead of aborting inside Qt.
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    bool crashed = false;
    QString out;
    QString err;
};

// The console with no display of any kind in its environment.
Run runWithoutDisplay(const QStringList &arguments)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PERISCOPE_CONSOLE_PROGRAM), arguments);
    Run r;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("did not finish");
        return r;
    }
    r.exitCode = p.exitCode();
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionAndHelpNeedNoDisplay_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("expected");
        QTest::newRow("--version") << QStringLiteral("--version") << QStringLiteral("periscope ");
        QTest::newRow("-v") << QStringLiteral("-v") << QStringLiteral("periscope ");
        QTest::newRow("--help") << QStringLiteral("--help") << QStringLiteral("--bootstrap");
        QTest::newRow("-h") << QStringLiteral("-h") << QStringLiteral("--local-broker");
    }

    void versionAndHelpNeedNoDisplay()
    {
        QFETCH(QString, option);
        QFETCH(QString, expected);
        const Run r = runWithoutDisplay({option});
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(expected), qPrintable(r.out + r.err));
        QVERIFY2(!r.err.contains(QStringLiteral("could not connect to display")),
                 qPrintable(r.err));
    }

    void aWindowWithoutDisplayIsRefusedPlainly()
    {
        const Run r = runWithoutDisplay({});
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("periscope: no display")), qPrintable(r.err));
    }

    void badOptionsAreReportedWithoutDisplay_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("demo data alone") << QStringList{QStringLiteral("--demo-data")}
                                         << QStringLiteral("--demo-data needs --local-broker");
        QTest::newRow("malformed bootstrap")
            << QStringList{QStringLiteral("--bootstrap"), QStringLiteral("no port here")}
            << QStringLiteral("--bootstrap: ");
    }

    void badOptionsAreReportedWithoutDisplay()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const Run r = runWithoutDisplay(arguments);
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
