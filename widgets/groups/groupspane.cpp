#include "groups/groupspane.h"

#include "common/actionprogress.h"
#include "common/modelutil.h"
#include "common/paneutil.h"
#include "common/sessionhold.h"
#include "groups/groupactions.h"
#include "groups/groupsmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace periscope::widgets {

namespace {

enum class Show { All, Lagging, Problems };

// Filters by id (substring, any case) and by what the "Show" chooser asks for.
class GroupsProxy final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setShow(Show show)
    {
        m_show = show;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (!QSortFilterProxyModel::filterAcceptsRow(row, parent))
            return false;
        const auto *model = static_cast<const models::GroupsModel *>(sourceModel());
        const monitor::GroupLag *g = model->groupAt(row);
        if (!g)
            return false;
        switch (m_show) {
        case Show::All:
            return true;
        case Show::Lagging:
            return g->totalLag > 0;
        case Show::Problems:
            return g->status > monitor::LagStatus::Ok || !g->error.isEmpty();
        }
        return true;
    }

private:
    Show m_show = Show::All;
};

} // namespace

GroupsPane::GroupsPane(client::ClusterSession *session, monitor::LagSampler *sampler,
                       QWidget *parent)
    : QWidget(parent)
    , m_hold(new SessionHold(session, sampler, this))
    , m_model(new models::GroupsModel(this))
    , m_proxy(new GroupsProxy(this))
    , m_filter(new QLineEdit(this))
    , m_show(new QComboBox(this))
    , m_interval(new QComboBox(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_count(new QLabel(this))
    , m_view(new QTableView(this))
    , m_progress(new ActionProgress(this))
    , m_actions(new GroupActions(m_hold, m_progress, this))
{
    m_filter->setObjectName(QStringLiteral("groupFilter"));
    m_filter->setPlaceholderText(tr("Filter groups…"));
    m_filter->setClearButtonEnabled(true);
    m_show->setObjectName(QStringLiteral("showCombo"));
    m_show->addItem(tr("All groups"), int(Show::All));
    m_show->addItem(tr("With lag"), int(Show::Lagging));
    m_show->addItem(tr("WARN or worse"), int(Show::Problems));
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_view->setObjectName(QStringLiteral("groupsView"));
    m_count->setObjectName(QStringLiteral("groupsCount"));
    fillSamplingCombo(m_interval, sampler);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(models::SortRoleValue);
    m_proxy->setFilterKeyColumn(models::GroupsModel::Id);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    configureTable(m_view, m_proxy);
    m_view->sortByColumn(models::GroupsModel::Id, Qt::AscendingOrder);
    // Ids are what people scan for; the topic list takes whatever room is left.
    m_view->setColumnWidth(models::GroupsModel::Id, 240);
    m_view->setColumnWidth(models::GroupsModel::Protocol, 150);
    m_view->setColumnWidth(models::GroupsModel::Members, 80);
    m_view->setColumnWidth(models::GroupsModel::Coordinator, 90);
    m_view->horizontalHeader()->setSectionResizeMode(models::GroupsModel::Topics,
                                                     QHeaderView::Stretch);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_show);
    bar->addWidget(new QLabel(tr("Lag sampled:"), this));
    bar->addWidget(m_interval);
    bar->addWidget(m_refresh);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_progress);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_count);

    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_show, &QComboBox::currentIndexChanged, this, [this] {
        static_cast<GroupsProxy *>(m_proxy)->setShow(Show(m_show->currentData().toInt()));
    });
    connect(m_refresh, &QPushButton::clicked, sampler, &monitor::LagSampler::refresh);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &GroupsPane::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &GroupsPane::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &GroupsPane::updateCount);
    connect(m_view, &QTableView::doubleClicked, this, [this] {
        if (const QString id = currentGroup(); !id.isEmpty())
            Q_EMIT openGroup(id);
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &GroupsPane::showContextMenu);
    connect(sampler, &monitor::LagSampler::updated, this, &GroupsPane::update);
    connect(sampler, &monitor::LagSampler::refreshingChanged, this, &GroupsPane::updateCount);
    connect(sampler, &monitor::LagSampler::failed, this, [this](const client::ClientError &e) {
        m_progress->setResult(false, tr("Reading the groups failed: %1").arg(e.message));
        m_samplerFailed = true;
    });
    connect(m_hold, &SessionHold::ended, this, &GroupsPane::updateCount);
    showWhenEnded(m_hold, m_progress, {m_interval, m_refresh});
    update();
    if (!sampler->snapshot() && !sampler->refreshing())
        sampler->refresh();
}

void GroupsPane::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

void GroupsPane::update()
{
    const monitor::LagSampler *sampler = m_hold->sampler();
    if (!sampler)
        return;
    const QString current = currentGroup();
    m_model->setSnapshot(sampler->snapshot());
    // A good sample clears the sampler's own failure, not an action's.
    if (m_samplerFailed && m_progress->state() == ActionProgress::State::Failed)
        m_progress->clear();
    m_samplerFailed = false;
    // A reset model (groups came or went) loses the current row; find it again by id.
    if (!current.isEmpty() && currentGroup() != current) {
        const int row = m_model->rowOf(current);
        if (row >= 0)
            m_view->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)));
    }
    updateCount();
}

void GroupsPane::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    QString text = shown == total ? tr("%Ln group(s)", nullptr, total)
                                  : tr("%L1 of %Ln group(s)", nullptr, total).arg(shown);
    const monitor::LagSampler *sampler = m_hold->sampler();
    if (const monitor::SnapshotPtr s = sampler ? sampler->snapshot() : nullptr)
        text += tr(" · lag read at %1")
                    .arg(QDateTime::fromMSecsSinceEpoch(s->timeMs).toString(
                        QStringLiteral("HH:mm:ss")));
    if (sampler && sampler->refreshing())
        text += tr(" · reading…");
    if (m_hold->hasEnded())
        text += tr(" · disconnected");
    m_count->setText(text);
}

QString GroupsPane::currentGroup() const
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid())
        return {};
    const monitor::GroupLag *g = m_model->groupAt(m_proxy->mapToSource(index).row());
    return g ? g->id : QString();
}

void GroupsPane::showContextMenu(const QPoint &pos)
{
    // The row clicked, not the one selected before; none on empty space.
    const QModelIndex clicked = m_view->indexAt(pos);
    if (!clicked.isValid())
        return;
    m_view->setCurrentIndex(clicked);
    const QString id = currentGroup();
    QMenu menu(this);
    QAction *open = menu.addAction(tr("Open"), this, [this, id] { Q_EMIT openGroup(id); });
    QAction *copy =
        menu.addAction(tr("Copy id"), this, [id] { QApplication::clipboard()->setText(id); });
    menu.addSeparator();
    QAction *reset = menu.addAction(tr("Reset offsets…"), this,
                                    [this, id] { m_actions->resetOffsets(id, {}, {}); });
    QAction *del =
        menu.addAction(tr("Delete group…"), this, [this, id] { m_actions->deleteGroup(id); });
    const bool has = !id.isEmpty();
    open->setEnabled(has);
    copy->setEnabled(has);
    reset->setEnabled(has && m_actions->allowed());
    del->setEnabled(has && m_actions->allowed());
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace periscope::widgets
