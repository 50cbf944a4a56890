#include "monitor/offsetreset.h"

#include <QTest>
#include <limits>

using periscope::monitor::planReset;
using periscope::monitor::ResetMode;
using periscope::monitor::resetModeName;
using periscope::monitor::ResetStep;
using periscope::monitor::ResetTarget;

Q_DECLARE_METATYPE(periscope::monitor::ResetMode)

namespace {
constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kMin = std::numeric_limits<qint64>::min();
} // namespace

class TestCoreOffsetReset final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // One partition per row: the plan's value and note for each mode and each edge.
    void singleTarget_data()
    {
        QTest::addColumn<ResetMode>("mode");
        QTest::addColumn<qint64>("value");
        QTest::addColumn<qint64>("current");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<qint64>("atTime");
        QTest::addColumn<qint64>("next");
        QTest::addColumn<QString>("note");
        auto row = [](const char *name, ResetMode mode, qint64 value, qint64 current, qint64 start,
                      qint64 end, qint64 atTime, qint64 next, const char *note) {
            QTest::newRow(name) << mode << value << current << start << end << atTime << next
                                << QString::fromUtf8(note);
        };
        using M = ResetMode;
        row("earliest", M::Earliest, 0, 50, 40, 95, -1, 40, "");
        row("earliest without commit", M::Earliest, 0, -1, 40, 95, -1, 40, "");
        row("latest", M::Latest, 0, 50, 40, 95, -1, 95, "");
        row("latest empty log", M::Latest, 0, -1, 7, 7, -1, 7, "");
        row("offset inside", M::Offset, 60, 50, 40, 95, -1, 60, "");
        row("offset at start", M::Offset, 40, 50, 40, 95, -1, 40, "");
        row("offset at end", M::Offset, 95, 50, 40, 95, -1, 95, "");
        row("offset below start", M::Offset, 12, 50, 40, 95, -1, 40,
            "12 is below the log start; 40 used");
        row("offset past end", M::Offset, 120, 50, 40, 95, -1, 95,
            "120 is past the log end; 95 used");
        row("offset negative", M::Offset, -5, 50, 40, 95, -1, 40,
            "-5 is below the log start; 40 used");
        row("datetime found", M::DateTime, 0, 50, 40, 95, 70, 70, "");
        row("datetime at start", M::DateTime, 0, 50, 40, 95, 40, 40, "");
        row("datetime none", M::DateTime, 0, 50, 40, 95, -1, 95,
            "no message at or after the time; log end used");
        // Retention can move the start between the time lookup and the offset lookup.
        row("datetime below start", M::DateTime, 0, 50, 40, 95, 30, 40,
            "30 is below the log start; 40 used");
        row("datetime past end", M::DateTime, 0, 50, 40, 95, 99, 95,
            "99 is past the log end; 95 used");
        row("shift forward", M::Shift, 10, 50, 40, 95, -1, 60, "");
        row("shift back", M::Shift, -10, 50, 40, 95, -1, 40, "");
        row("shift zero", M::Shift, 0, 50, 40, 95, -1, 50, "");
        row("shift below start", M::Shift, -20, 50, 40, 95, -1, 40,
            "30 is below the log start; 40 used");
        row("shift past end", M::Shift, 50, 50, 40, 95, -1, 95, "100 is past the log end; 95 used");
        row("shift no commit", M::Shift, 5, -1, 40, 95, -1, -1,
            "no committed offset to shift from; left unchanged");
        // current + value would wrap to a negative; saturating keeps the direction of the shift.
        row("shift overflow up", M::Shift, kMax, 50, 40, 95, -1, 95,
            "9223372036854775807 is past the log end; 95 used");
        // current is never negative here, so the most negative shift cannot wrap, only clamp.
        row("shift most negative", M::Shift, kMin, 50, 40, 95, -1, 40,
            "-9223372036854775758 is below the log start; 40 used");
        row("unknown start", M::Earliest, 0, 50, -1, 95, -1, -1,
            "log offsets unknown; left unchanged");
        row("unknown end", M::Latest, 0, 50, 40, -1, -1, -1, "log offsets unknown; left unchanged");
        row("unknown both offset", M::Offset, 60, 50, -1, -1, -1, -1,
            "log offsets unknown; left unchanged");
        row("unknown datetime", M::DateTime, 0, 50, -1, 95, 70, -1,
            "log offsets unknown; left unchanged");
        // Unknown bounds are reported first: they make every mode unusable.
        row("unknown shift no commit", M::Shift, 5, -1, 40, -1, -1, -1,
            "log offsets unknown; left unchanged");
        row("inverted range", M::Earliest, 0, 50, 95, 40, -1, -1,
            "log offsets unknown; left unchanged");
    }

    void singleTarget()
    {
        QFETCH(ResetMode, mode);
        QFETCH(qint64, value);
        QFETCH(qint64, current);
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(qint64, atTime);
        QFETCH(qint64, next);
        QFETCH(QString, note);

        const ResetTarget target{QStringLiteral("orders"), 3, current, start, end, atTime};
        const QList<ResetStep> steps = planReset({target}, mode, value);
        QCOMPARE(steps.size(), 1);
        const ResetStep &step = steps.first();
        QCOMPARE(step.topic, QStringLiteral("orders"));
        QCOMPARE(step.partition, 3);
        QCOMPARE(step.current, current);
        QCOMPARE(step.next, next);
        QCOMPARE(step.note, note);
        // The header's promise: a planned value never leaves the log.
        if (step.next != -1) {
            QVERIFY(step.next >= start);
            QVERIFY(step.next <= end);
        }
    }

    // The preview lists partitions as given, so the plan must keep their order and count.
    void keepsOrder()
    {
        const QList<ResetTarget> targets{
            {QStringLiteral("b"), 2, 10, 0, 20, -1},
            {QStringLiteral("a"), 0, -1, 5, 9, -1},
            {QStringLiteral("b"), 1, 3, -1, -1, -1},
        };
        const QList<ResetStep> steps = planReset(targets, ResetMode::Shift, 15);
        QCOMPARE(steps.size(), 3);
        QCOMPARE(steps[0].topic, QStringLiteral("b"));
        QCOMPARE(steps[0].partition, 2);
        QCOMPARE(steps[0].next, 20);
        QCOMPARE(steps[1].topic, QStringLiteral("a"));
        QCOMPARE(steps[1].next, -1);
        QCOMPARE(steps[2].partition, 1);
        QCOMPARE(steps[2].note, QStringLiteral("log offsets unknown; left unchanged"));
    }

    void emptyTargets() { QVERIFY(planReset({}, ResetMode::Latest, 0).isEmpty()); }

    void modeName_data()
    {
        QTest::addColumn<ResetMode>("mode");
        QTest::addColumn<QString>("name");
        QTest::newRow("earliest") << ResetMode::Earliest << QStringLiteral("earliest");
        QTest::newRow("latest") << ResetMode::Latest << QStringLiteral("latest");
        QTest::newRow("offset") << ResetMode::Offset << QStringLiteral("offset");
        QTest::newRow("datetime") << ResetMode::DateTime << QStringLiteral("date and time");
        QTest::newRow("shift") << ResetMode::Shift << QStringLiteral("shift by");
    }

    void modeName()
    {
        QFETCH(ResetMode, mode);
        QFETCH(QString, name);
        QCOMPARE(resetModeName(mode), name);
    }
};

QTEST_GUILESS_MAIN(TestCoreOffsetReset)
#include "tst_core_offsetreset.moc"
