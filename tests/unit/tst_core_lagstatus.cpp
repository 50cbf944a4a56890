#include "monitor/lagstatus.h"

#include <QList>
#include <QTest>

using namespace periscope::monitor;

Q_DECLARE_METATYPE(periscope::monitor::LagStatus)

class TestLagStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void names_data();
    void names();
    void worse_data();
    void worse();
    void evaluate_data();
    void evaluate();
    void defaultRules();
    void secondsBehind_data();
    void secondsBehind();
};

// Windows are written the way docs/lag-status.md shows them, so a row reads like the
// table: "committed/end" per sample, oldest first, "-" for no commit, and an optional
// "@seconds" sample time (otherwise sample i is taken at i seconds).
static QList<LagSample> parseWindow(const QString &text)
{
    QList<LagSample> window;
    const QStringList samples = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &sample : samples) {
        const QStringList timed = sample.split(QLatin1Char('@'));
        const QStringList offsets = timed.first().split(QLatin1Char('/'));
        LagSample s;
        s.timeMs = timed.size() > 1 ? timed[1].toLongLong() * 1000 : window.size() * 1000;
        s.committed = offsets[0] == QLatin1String("-") ? -1 : offsets[0].toLongLong();
        s.end = offsets[1].toLongLong();
        window.append(s);
    }
    return window;
}

void TestLagStatus::names_data()
{
    QTest::addColumn<LagStatus>("status");
    QTest::addColumn<QString>("name");
    QTest::newRow("unknown is a dash") << LagStatus::Unknown << QStringLiteral("\u2014");
    QTest::newRow("ok") << LagStatus::Ok << QStringLiteral("OK");
    QTest::newRow("warn") << LagStatus::Warn << QStringLiteral("WARN");
    QTest::newRow("rewind") << LagStatus::Rewind << QStringLiteral("REWIND");
    QTest::newRow("stall") << LagStatus::Stall << QStringLiteral("STALL");
    QTest::newRow("stop") << LagStatus::Stop << QStringLiteral("STOP");
}

void TestLagStatus::names()
{
    QFETCH(LagStatus, status);
    QFETCH(QString, name);
    QCOMPARE(lagStatusName(status), name);
}

void TestLagStatus::worse_data()
{
    QTest::addColumn<LagStatus>("a");
    QTest::addColumn<LagStatus>("b");
    QTest::addColumn<LagStatus>("expected");
    QTest::newRow("known beats unknown") << LagStatus::Unknown << LagStatus::Ok << LagStatus::Ok;
    QTest::newRow("warn beats ok") << LagStatus::Ok << LagStatus::Warn << LagStatus::Warn;
    QTest::newRow("rewind beats warn") << LagStatus::Rewind << LagStatus::Warn << LagStatus::Rewind;
    QTest::newRow("stall beats rewind")
        << LagStatus::Rewind << LagStatus::Stall << LagStatus::Stall;
    QTest::newRow("stop beats stall") << LagStatus::Stop << LagStatus::Stall << LagStatus::Stop;
    QTest::newRow("equal") << LagStatus::Warn << LagStatus::Warn << LagStatus::Warn;
    QTest::newRow("unknown alone")
        << LagStatus::Unknown << LagStatus::Unknown << LagStatus::Unknown;
}

void TestLagStatus::worse()
{
    QFETCH(LagStatus, a);
    QFETCH(LagStatus, b);
    QFETCH(LagStatus, expected);
    QCOMPARE(lagStatusName(periscope::monitor::worse(a, b)), lagStatusName(expected));
    QCOMPARE(lagStatusName(periscope::monitor::worse(b, a)), lagStatusName(expected));
}

// Every row uses a window of 5 samples and minSamples 3, the figures the doc's table gives.
void TestLagStatus::evaluate_data()
{
    QTest::addColumn<QString>("window");
    QTest::addColumn<bool>("owned");
    QTest::addColumn<QString>("expected");
    const QString unknown = QStringLiteral("\u2014");
    auto row = [](const char *name, const char *window, bool owned, const QString &expected) {
        QTest::newRow(name) << QString::fromLatin1(window) << owned << expected;
    };

    row("1 empty window", "", true, unknown);
    row("1 never committed", "-/10 -/12 -/14", true, unknown);
    row("1 newest has no commit", "5/10 6/12 -/14", true, unknown);

    row("2 rewind", "8/10 9/12 4/14", true, QStringLiteral("REWIND"));
    row("2 rewind beats caught up", "10/10 12/12 4/14", true, QStringLiteral("REWIND"));
    row("2 rewind across a gap", "9/10 -/12 4/14", true, QStringLiteral("REWIND"));
    row("2 rewind with two samples", "9/10 4/14", false, QStringLiteral("REWIND"));

    row("3 caught up now", "5/10 6/12 14/14", true, QStringLiteral("OK"));
    row("3 caught up earlier, owned", "10/10 10/12 10/14 10/16 10/18", true, QStringLiteral("OK"));
    row("3 caught up earlier, not owned", "10/10 10/12 10/14 10/16 10/18", false,
        QStringLiteral("OK"));
    row("3 committed past the end", "5/10 6/12 15/14", true, QStringLiteral("OK"));

    row("4 too few samples", "5/10 5/12", true, QStringLiteral("OK"));
    row("4 too few valid samples", "-/10 -/11 -/12 5/13 5/14", true, QStringLiteral("OK"));

    row("5 stall", "5/10 5/12 5/14 5/16", true, QStringLiteral("STALL"));
    row("5 stall at exactly minSamples", "5/10 5/12 5/14", true, QStringLiteral("STALL"));
    row("5 stall without new messages", "5/10 5/10 5/10", true, QStringLiteral("STALL"));
    row("5 stop", "5/10 5/12 5/14 5/16 5/18", false, QStringLiteral("STOP"));
    row("5 not owned, window not full", "5/10 5/12 5/14 5/16", false, QStringLiteral("OK"));
    row("5 stop counts samples without a commit", "-/10 5/12 5/14 5/16 5/18", false,
        QStringLiteral("STOP"));

    row("6 falling behind", "5/10 6/12 7/14 8/16", true, QStringLiteral("WARN"));
    row("6 not catching up", "5/10 7/12 9/14", true, QStringLiteral("WARN"));
    row("6 not catching up, not owned", "5/10 7/12 9/14", false, QStringLiteral("WARN"));
    row("6 advanced, then stuck", "5/10 8/14 8/16 8/18", true, QStringLiteral("WARN"));

    row("7 catching up", "5/20 10/22 15/24", true, QStringLiteral("OK"));
    row("7 one drop in lag is enough", "5/10 6/12 9/14 10/16", true, QStringLiteral("OK"));
}

void TestLagStatus::evaluate()
{
    QFETCH(QString, window);
    QFETCH(bool, owned);
    QFETCH(QString, expected);
    LagRules rules;
    rules.windowSamples = 5;
    rules.minSamples = 3;
    const QList<LagSample> samples = parseWindow(window);
    QCOMPARE(lagStatusName(evaluatePartition(samples, owned, rules)), expected);
}

void TestLagStatus::defaultRules()
{
    const LagRules rules;
    QCOMPARE(rules.windowSamples, 10);
    QCOMPARE(rules.minSamples, 3);
    const QList<LagSample> half = parseWindow(QStringLiteral("5/10 5/12 5/14 5/16 5/18"));
    QCOMPARE(evaluatePartition(half, false), LagStatus::Ok);
    const QList<LagSample> full = half + half;
    QCOMPARE(evaluatePartition(full, false), LagStatus::Stop);
}

void TestLagStatus::secondsBehind_data()
{
    QTest::addColumn<QString>("window");
    QTest::addColumn<qint64>("nowSeconds");
    QTest::addColumn<double>("expected");
    auto row = [](const char *name, const char *window, qint64 now, double expected) {
        QTest::newRow(name) << QString::fromLatin1(window) << now << expected;
    };

    row("empty window", "", 10, -1);
    row("no commit", "-/10@0 -/20@10", 10, -1);
    row("caught up", "20/20@0", 10, 0);
    row("caught up now, behind before", "5/10@0 20/20@10", 30, 0);
    row("one sample behind", "5/10@0", 10, -1);
    row("interpolated", "15/10@0 15/20@10 15/30@20", 30, 25);
    row("interpolated in a later step", "25/10@0 25/20@10 25/30@20 25/40@30", 30, 15);
    row("end equal to committed", "20/10@0 20/20@10 20/30@20", 20, 10);
    row("older commits do not count", "2/10@0 15/20@10 15/30@20", 20, 15);
    row("identical times", "15/10@5 15/20@5", 10, 5);
    row("never negative", "15/10@0 15/20@10", 0, 0);
    row("extrapolated before the window", "5/10@0 5/20@10 5/30@20", 20, 25);
    row("no messages in the window", "5/10@0 5/10@10", 20, -1);
    row("extrapolated over identical times", "5/10@3 5/20@3", 20, -1);
}

void TestLagStatus::secondsBehind()
{
    QFETCH(QString, window);
    QFETCH(qint64, nowSeconds);
    QFETCH(double, expected);
    const QList<LagSample> samples = parseWindow(window);
    const double actual = estimateSecondsBehind(samples, nowSeconds * 1000);
    QVERIFY2(qAbs(actual - expected) < 1e-9,
             qPrintable(QStringLiteral("got %1, want %2").arg(actual).arg(expected)));
}

QTEST_APPLESS_MAIN(TestLagStatus)
#include "tst_core_lagstatus.moc"
