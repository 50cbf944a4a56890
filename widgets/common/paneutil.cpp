#include "common/paneutil.h"

#include "common/actionprogress.h"
#include "common/sessionhold.h"

#include <QComboBox>
#include <QHeaderView>
#include <QPointer>
#include <QSettings>
#include <QTableView>

namespace periscope::widgets {

void configureTable(QTableView *view, QAbstractItemModel *model)
{
    view->setModel(model);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    // One fixed row height: the view never measures rows, which keeps 10,000 rows cheap.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->horizontalHeader()->setDefaultSectionSize(110);
}

void fillRefreshCombo(QComboBox *combo, client::ClusterSession *session)
{
    combo->setObjectName(QStringLiteral("refreshCombo"));
    const QList<QPair<QString, int>> choices = {
        {QComboBox::tr("Off"), 0},       {QComboBox::tr("5 s"), 5000},
        {QComboBox::tr("10 s"), 10000},  {QComboBox::tr("30 s"), 30000},
        {QComboBox::tr("1 min"), 60000}, {QComboBox::tr("5 min"), 300000},
    };
    for (const auto &[label, ms] : choices)
        combo->addItem(label, ms);
    const int current = combo->findData(session->autoRefreshInterval());
    combo->setCurrentIndex(current < 0 ? 0 : current);
    QObject::connect(combo, &QComboBox::currentIndexChanged, session, [combo, session] {
        session->setAutoRefreshInterval(combo->currentData().toInt());
    });
}

void fillSamplingCombo(QComboBox *combo, monitor::LagSampler *sampler)
{
    combo->setObjectName(QStringLiteral("samplingCombo"));
    const QList<QPair<QString, int>> choices = {
        {QComboBox::tr("Off"), 0},
        {QComboBox::tr("every 5 s"), 5000},
        {QComboBox::tr("every 10 s"), 10000},
        {QComboBox::tr("every 30 s"), 30000},
        {QComboBox::tr("every 1 min"), 60000},
    };
    for (const auto &[label, ms] : choices)
        combo->addItem(label, ms);
    // An interval stored by hand that is not among the choices is shown as it runs.
    auto show = [combo](int ms) {
        if (combo->findData(ms) < 0)
            combo->addItem(QComboBox::tr("every %1 ms").arg(ms), ms);
        const QSignalBlocker quiet(combo);
        combo->setCurrentIndex(combo->findData(ms));
    };
    show(sampler->interval());
    QObject::connect(sampler, &monitor::LagSampler::intervalChanged, combo, show);
    QObject::connect(combo, &QComboBox::currentIndexChanged, sampler, [combo, sampler] {
        const int ms = combo->currentData().toInt();
        sampler->setInterval(ms);
        QSettings().setValue(QStringLiteral("lag/intervalMs"), ms);
    });
}

void showWhenEnded(SessionHold *hold, ActionProgress *banner, const QList<QWidget *> &controls)
{
    QList<QPointer<QWidget>> guarded(controls.cbegin(), controls.cend());
    const auto end = [hold, banner, guarded] {
        banner->setResult(false, hold->endedText());
        for (const QPointer<QWidget> &w : guarded)
            if (w)
                w->setEnabled(false);
    };
    if (hold->hasEnded())
        end();
    else
        QObject::connect(hold, &SessionHold::ended, banner, end);
}

} // namespace periscope::widgets
