#include "topics/topicspane.h"

#include "common/actionprogress.h"
#include "common/paneutil.h"
#include "common/sessionhold.h"
#include "topics/topicactions.h"
#include "topics/topicfilterproxy.h"
#include "topics/topicsmodel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace periscope::widgets {

TopicsPane::TopicsPane(client::ClusterSession *session, QWidget *parent)
    : QWidget(parent)
    , m_hold(new SessionHold(session, nullptr, this))
    , m_model(new models::TopicsModel(this))
    , m_proxy(new models::TopicFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_regex(new QCheckBox(tr("Regex"), this))
    , m_hideInternal(new QCheckBox(tr("Hide internal"), this))
    , m_refresh(new QComboBox(this))
    , m_create(new QPushButton(tr("Create topic…"), this))
    , m_count(new QLabel(this))
    , m_view(new QTableView(this))
    , m_progress(new ActionProgress(this))
    , m_actions(new TopicActions(m_hold, m_progress, this))
{
    m_filter->setObjectName(QStringLiteral("topicFilter"));
    m_filter->setPlaceholderText(tr("Filter topics…"));
    m_filter->setClearButtonEnabled(true);
    m_regex->setObjectName(QStringLiteral("regexCheck"));
    m_hideInternal->setObjectName(QStringLiteral("hideInternalCheck"));
    m_create->setObjectName(QStringLiteral("createTopicButton"));
    m_create->setEnabled(m_actions->allowed());
    m_view->setObjectName(QStringLiteral("topicsView"));
    fillRefreshCombo(m_refresh, session);

    m_proxy->setSourceModel(m_model);
    configureTable(m_view, m_proxy);
    m_view->sortByColumn(models::TopicsModel::Name, Qt::AscendingOrder);
    m_view->horizontalHeader()->setSectionResizeMode(models::TopicsModel::Name,
                                                     QHeaderView::Stretch);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_regex);
    bar->addWidget(m_hideInternal);
    bar->addWidget(new QLabel(tr("Refresh:"), this));
    bar->addWidget(m_refresh);
    bar->addWidget(m_create);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_progress);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_count);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &models::TopicFilterProxy::setPattern);
    connect(m_regex, &QCheckBox::toggled, m_proxy, &models::TopicFilterProxy::setRegexMode);
    connect(m_hideInternal, &QCheckBox::toggled, m_proxy,
            &models::TopicFilterProxy::setHideInternal);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &TopicsPane::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &TopicsPane::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &TopicsPane::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &TopicsPane::updateCount);
    connect(m_proxy, &models::TopicFilterProxy::patternValidityChanged, this, [this](bool valid) {
        m_filter->setToolTip(valid ? QString() : m_proxy->patternError());
        m_filter->setStyleSheet(valid ? QString() : QStringLiteral("color: #c62828"));
        updateCount();
    });
    connect(m_create, &QPushButton::clicked, m_actions, &TopicActions::createTopic);
    connect(m_actions, &TopicActions::changed, session, &client::ClusterSession::refresh);
    connect(m_view, &QTableView::doubleClicked, this, [this] {
        if (const QString t = currentTopic(); !t.isEmpty())
            Q_EMIT openTopic(t);
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &TopicsPane::showContextMenu);
    connect(session, &client::ClusterSession::metadataChanged, this,
            [this, session] { m_model->setTopics(session->metadata().topics); });
    connect(session, &client::ClusterSession::offsetsChanged, this,
            [this, session] { m_model->setOffsets(session->offsets()); });
    showWhenEnded(m_hold, m_progress, {m_create, m_refresh});
    if (session->hasMetadata()) {
        m_model->setTopics(session->metadata().topics);
        m_model->setOffsets(session->offsets());
    }
    updateCount();
}

void TopicsPane::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

void TopicsPane::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    QString text = shown == total ? tr("%Ln topic(s)", nullptr, total)
                                  : tr("%L1 of %L2 topics").arg(shown).arg(total);
    if (!m_proxy->patternValid())
        text += QStringLiteral(" — ") + m_proxy->patternError();
    m_count->setText(text);
}

QString TopicsPane::currentTopic() const
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid())
        return {};
    const auto *topic = m_model->topicAt(m_proxy->mapToSource(index).row());
    return topic ? topic->name : QString();
}

void TopicsPane::showContextMenu(const QPoint &pos)
{
    const QString topic = currentTopic();
    QMenu menu(this);
    QAction *open = menu.addAction(tr("Open"), this, [this, topic] { Q_EMIT openTopic(topic); });
    QAction *browse =
        menu.addAction(tr("Browse messages"), this, [this, topic] { Q_EMIT browseTopic(topic); });
    QAction *copy = menu.addAction(tr("Copy name"), this,
                                   [topic] { QApplication::clipboard()->setText(topic); });
    menu.addSeparator();
    menu.addAction(tr("Create topic…"), m_actions, &TopicActions::createTopic)
        ->setEnabled(m_actions->allowed());
    QAction *grow = menu.addAction(tr("Add partitions…"), this,
                                   [this, topic] { m_actions->addPartitions(topic); });
    QAction *purge =
        menu.addAction(tr("Purge messages…"), this, [this, topic] { m_actions->purge(topic); });
    QAction *del =
        menu.addAction(tr("Delete topic…"), this, [this, topic] { m_actions->deleteTopic(topic); });
    menu.addSeparator();
    QAction *produce = menu.addAction(tr("Produce message…"), this,
                                      [this, topic] { m_actions->produceTo(topic); });
    QAction *importLines = menu.addAction(tr("Import JSON Lines…"), this,
                                          [this, topic] { m_actions->importInto(topic); });
    const bool has = !topic.isEmpty();
    open->setEnabled(has);
    browse->setEnabled(has);
    copy->setEnabled(has);
    for (QAction *a : {grow, purge, del, produce, importLines})
        a->setEnabled(has && m_actions->allowed());
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace periscope::widgets
