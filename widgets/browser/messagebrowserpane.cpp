#include "browser/messagebrowserpane.h"

#include "browser/browsersettings.h"
#include "browser/jsonexpr.h"
#include "browser/messagedetail.h"
#include "browser/messageexport.h"
#include "browser/messagefilter.h"
#include "browser/messagefilterproxy.h"
#include "browser/messageformat.h"
#include "browser/messagemodel.h"
#include "browser/messagesort.h"
#include "client/messagejson.h"
#include "common/paneutil.h"
#include "common/sessionhold.h"
#include "jobs/localpool.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace periscope::widgets {

using client::BrowseRequest;

MessageBrowserPane::MessageBrowserPane(client::ClusterSession *session, const QString &topic,
                                       QWidget *parent)
    : QWidget(parent)
    , m_hold(new SessionHold(session, nullptr, this))
    , m_topic(topic)
    , m_model(new models::MessageModel(this))
    , m_proxy(new models::MessageFilterProxy(this))
    , m_partitions(new QLineEdit(this))
    , m_start(new QComboBox(this))
    , m_startNumber(new QSpinBox(this))
    , m_startTime(new QDateTimeEdit(QDateTime::currentDateTime().addSecs(-3600), this))
    , m_stop(new QComboBox(this))
    , m_count(new QSpinBox(this))
    , m_load(new QPushButton(tr("Load"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_pause(new QPushButton(tr("Pause"), this))
    , m_search(new QCheckBox(tr("Search: keep only matches"), this))
    , m_utc(new QCheckBox(tr("UTC"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_filter(new QLineEdit(this))
    , m_filterMode(new QComboBox(this))
    , m_exportScope(new QComboBox(this))
    , m_export(new QPushButton(tr("Export…"), this))
    , m_filterStatus(new QLabel(this))
    , m_filterDelay(new QTimer(this))
    , m_view(new QTableView(this))
    , m_detail(new MessageDetail(this))
{
    m_partitions->setObjectName(QStringLiteral("partitionsEdit"));
    m_partitions->setPlaceholderText(tr("all partitions"));
    m_partitions->setToolTip(tr("Partition numbers separated by commas; empty for all."));
    m_partitions->setMinimumWidth(110);
    m_partitions->setMaximumWidth(160);
    m_start->setObjectName(QStringLiteral("startCombo"));
    m_start->addItem(tr("Oldest"), int(BrowseRequest::Start::Oldest));
    m_start->addItem(tr("Newest − N per partition"), int(BrowseRequest::Start::NewestMinus));
    m_start->addItem(tr("Offset"), int(BrowseRequest::Start::Offset));
    m_start->addItem(tr("Date and time"), int(BrowseRequest::Start::Time));
    m_startNumber->setObjectName(QStringLiteral("startNumber"));
    m_startNumber->setRange(0, std::numeric_limits<int>::max());
    m_startNumber->setValue(1000);
    m_start->setCurrentIndex(1); // newest 1000 per partition: quick on any topic
    m_startTime->setObjectName(QStringLiteral("startTime"));
    m_startTime->setCalendarPopup(true);
    m_startTime->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_stop->setObjectName(QStringLiteral("stopCombo"));
    m_stop->addItem(tr("up to now"), int(BrowseRequest::Stop::Now));
    m_stop->addItem(tr("a count of"), int(BrowseRequest::Stop::Count));
    m_stop->addItem(tr("follow live"), int(BrowseRequest::Stop::Follow));
    m_count->setObjectName(QStringLiteral("countSpin"));
    m_count->setRange(1, std::numeric_limits<int>::max());
    m_count->setValue(10000);
    m_load->setObjectName(QStringLiteral("loadButton"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_search->setObjectName(QStringLiteral("searchCheck"));
    m_search->setToolTip(tr("Read the topic and keep only the messages the filter accepts; "
                            "with \"a count of\", stop after that many matches."));
    m_pause->setCheckable(true);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(180);
    m_status->setObjectName(QStringLiteral("loadStatus"));
    m_filter->setObjectName(QStringLiteral("messageFilter"));
    m_filter->setPlaceholderText(tr("Filter key, value and headers…"));
    m_filter->setClearButtonEnabled(true);
    m_filterMode->setObjectName(QStringLiteral("filterMode"));
    m_filterStatus->setObjectName(QStringLiteral("filterStatus"));
    m_filterMode->addItem(tr("contains"), int(models::MessageFilter::Mode::Substring));
    m_filterMode->addItem(tr("contains (match case)"),
                          int(models::MessageFilter::Mode::SubstringCaseSensitive));
    m_filterMode->addItem(tr("regex"), int(models::MessageFilter::Mode::Regex));
    m_filterMode->addItem(tr("expression"), kExpressionMode);
    m_filterMode->setToolTip(tr("An expression such as value.order.total > 100 && key == \"eu-1\" "
                                "(see docs/message-filter.md)"));
    m_exportScope->setObjectName(QStringLiteral("exportScope"));
    m_exportScope->addItem(tr("all messages"), QStringLiteral("all"));
    m_exportScope->addItem(tr("the filtered ones"), QStringLiteral("filtered"));
    m_exportScope->addItem(tr("the selected ones"), QStringLiteral("selected"));
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(150);

    m_proxy->setSourceModel(m_model);
    configureTable(m_view, m_proxy);
    m_view->setObjectName(QStringLiteral("messagesView"));
    m_view->setSortingEnabled(false); // sorting a million rows is a deliberate click
    m_view->horizontalHeader()->setSectionsClickable(true);
    m_view->horizontalHeader()->setSectionResizeMode(models::MessageModel::Value,
                                                     QHeaderView::Stretch);
    m_view->setColumnWidth(models::MessageModel::Partition, 70);
    m_view->setColumnWidth(models::MessageModel::Offset, 90);
    m_view->setColumnWidth(models::MessageModel::Timestamp, 170);
    m_view->setColumnWidth(models::MessageModel::Key, 150);

    auto *source = new QHBoxLayout;
    source->addWidget(new QLabel(tr("Partitions:"), this));
    source->addWidget(m_partitions);
    source->addWidget(new QLabel(tr("Start at:"), this));
    source->addWidget(m_start);
    source->addWidget(m_startNumber);
    source->addWidget(m_startTime);
    source->addWidget(new QLabel(tr("Stop:"), this));
    source->addWidget(m_stop);
    source->addWidget(m_count);
    source->addWidget(m_load);
    source->addWidget(m_cancel);
    source->addWidget(m_pause);
    source->addWidget(m_search);
    source->addWidget(m_utc);
    source->addStretch(1);
    auto *progress = new QHBoxLayout;
    progress->addWidget(m_progress);
    progress->addWidget(m_status, 1);
    auto *filter = new QHBoxLayout;
    filter->addWidget(m_filter, 1);
    filter->addWidget(m_filterMode);
    filter->addWidget(m_filterStatus);
    filter->addWidget(m_export);
    filter->addWidget(m_exportScope);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({900, 420}); // proportions: the table gets the room, the detail a third
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(source);
    layout->addLayout(progress);
    layout->addLayout(filter);
    layout->addWidget(split, 1);

    connect(m_start, &QComboBox::currentIndexChanged, this, &MessageBrowserPane::updateInputs);
    connect(m_stop, &QComboBox::currentIndexChanged, this, &MessageBrowserPane::updateInputs);
    connect(m_load, &QPushButton::clicked, this, &MessageBrowserPane::load);
    m_utc->setObjectName(QStringLiteral("utcCheck"));
    connect(m_utc, &QCheckBox::toggled, m_model, &models::MessageModel::setUtc);
    connect(m_detail, &MessageDetail::wholeValueRequested, this,
            &MessageBrowserPane::loadWholeValue);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &MessageBrowserPane::showRowMenu);
    connect(m_export, &QPushButton::clicked, this, [this] {
        QString selectedFilter;
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export messages"), m_topic + QStringLiteral(".jsonl"),
            tr("JSON Lines (*.jsonl);;CSV (*.csv)"), &selectedFilter);
        if (!path.isEmpty())
            exportTo(path, path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive),
                     m_exportScope->currentData().toString());
    });
    connect(m_cancel, &QPushButton::clicked, this, &MessageBrowserPane::cancel);
    connect(m_pause, &QPushButton::toggled, this, &MessageBrowserPane::setPaused);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterMode, &QComboBox::currentIndexChanged, this, &MessageBrowserPane::runFilter);
    connect(m_filterDelay, &QTimer::timeout, this, &MessageBrowserPane::runFilter);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MessageBrowserPane::showCurrent);
    connect(m_view->horizontalHeader(), &QHeaderView::sectionClicked, this, [this](int column) {
        const Qt::SortOrder order = m_view->horizontalHeader()->sortIndicatorOrder();
        m_view->horizontalHeader()->setSortIndicatorShown(true);
        sortBy(column, order);
    });
    connect(m_model, &models::MessageModel::budgetReached, this, [this] {
        cancel();
        m_status->setText(tr("Stopped at the memory budget (%1): narrow the range or raise the "
                             "budget in the settings.")
                              .arg(QLocale().formattedDataSize(m_model->memoryBudget())));
    });
    connect(m_hold, &SessionHold::ended, this, [this] {
        m_status->setText(m_hold->endedText());
        updateInputs();
    });
    updateInputs();
}

MessageBrowserPane::~MessageBrowserPane()
{
    m_filtering.cancel();
    m_sorting.cancel();
}

QString MessageBrowserPane::statusText() const
{
    return m_status->text();
}

void MessageBrowserPane::updateInputs()
{
    const auto start = BrowseRequest::Start(m_start->currentData().toInt());
    m_startNumber->setVisible(start == BrowseRequest::Start::NewestMinus ||
                              start == BrowseRequest::Start::Offset);
    m_startTime->setVisible(start == BrowseRequest::Start::Time);
    const auto stop = BrowseRequest::Stop(m_stop->currentData().toInt());
    m_count->setVisible(stop == BrowseRequest::Stop::Count);
    const bool loading = isLoading();
    m_load->setEnabled(!loading && !m_hold->hasEnded());
    m_cancel->setEnabled(loading || isSorting());
    m_pause->setVisible(stop == BrowseRequest::Stop::Follow);
    m_pause->setEnabled(loading);
}

BrowseRequest MessageBrowserPane::requestFromInputs(QString *problem) const
{
    BrowseRequest r;
    r.topic = m_topic;
    const QStringList parts = m_partitions->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        bool ok = false;
        const int n = p.trimmed().toInt(&ok);
        if (!ok || n < 0) {
            *problem = tr("\"%1\" is not a partition number").arg(p.trimmed());
            return r;
        }
        r.partitions.append(n);
    }
    r.start = BrowseRequest::Start(m_start->currentData().toInt());
    r.startValue = r.start == BrowseRequest::Start::Time
                       ? m_startTime->dateTime().toMSecsSinceEpoch()
                       : m_startNumber->value();
    r.stop = BrowseRequest::Stop(m_stop->currentData().toInt());
    r.count = m_count->value();
    return r;
}

void MessageBrowserPane::load()
{
    QString problem;
    BrowseRequest request = requestFromInputs(&problem);
    if (!problem.isEmpty()) {
        m_status->setText(problem);
        return;
    }
    if (m_search->isChecked()) {
        // A search keeps only what the filter accepts while it reads the topic.
        auto filter = std::make_shared<models::MessageFilter>();
        if (QString error; !buildFilter(filter.get(), &error)) {
            m_status->setText(error);
            return;
        }
        if (filter->isEmpty()) {
            m_status->setText(tr("Type what to search for in the filter box first."));
            return;
        }
        request.keep = [filter](const client::MessageBatch &b, qsizetype i) {
            return filter->matches(b, i);
        };
    }
    if (!m_hold->client()) {
        m_status->setText(m_hold->endedText());
        return;
    }
    cancel();
    m_model->clear();
    m_proxy->clearFilter();
    m_detail->clear();
    m_heldWhilePaused.clear();
    m_heldRows = 0;
    m_droppedWhilePaused = 0;
    const BrowserSettings settings = BrowserSettings::load(); // as set now, for this load
    m_model->setMemoryBudget(settings.memoryBudgetMiB * 1024 * 1024);
    m_model->setRingCapacity(request.stop == BrowseRequest::Stop::Follow ? settings.liveTailRows
                                                                         : 0);
    // A new session per load: nothing the previous one had sent can reach this one.
    m_browse = std::make_unique<client::BrowseSession>(m_hold->client(), request);
    connect(m_browse.get(), &client::BrowseSession::batchReady, this,
            [this, from = m_browse.get()](const client::MessageBatch &batch) {
                if (from == m_browse.get()) // belt and braces: the old one's mailbox is closed
                    onBatch(batch);
            });
    connect(m_browse.get(), &client::BrowseSession::progress, this,
            &MessageBrowserPane::onProgress);
    connect(m_browse.get(), &client::BrowseSession::notice, this,
            [this](const QString &text) { m_filterStatus->setText(text); });
    connect(m_browse.get(), &client::BrowseSession::finished, this,
            &MessageBrowserPane::onFinished);
    m_progress->setRange(0, 0);
    m_status->setText(tr("Loading…"));
    m_browse->start();
    updateInputs();
}

void MessageBrowserPane::cancel()
{
    if (isSorting()) {
        m_sorting.cancel(); // its answer, even one already on its way, is never applied
        m_sortPending = false;
        m_filterStatus->setText(tr("Sorting cancelled."));
        updateInputs();
    }
    if (m_browse && m_browse->isRunning())
        m_browse->cancel(); // finished() follows at once
}

void MessageBrowserPane::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused) {
        m_pause->setChecked(paused); // comes back here through toggled()
        return;
    }
    m_paused = paused;
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    if (paused)
        return;
    const auto held = std::exchange(m_heldWhilePaused, {});
    for (const auto &b : held)
        onBatch(b);
    // What the ring drops of the oldest held batch was never shown either.
    m_droppedWhilePaused +=
        std::max<qint64>(0, std::exchange(m_heldRows, 0) - m_model->ringCapacity());
    if (const qint64 dropped = std::exchange(m_droppedWhilePaused, 0))
        m_filterStatus->setText(tr("%L1 messages arrived while paused and were dropped: the "
                                   "live view keeps the newest %L2.")
                                    .arg(dropped)
                                    .arg(m_model->ringCapacity()));
}

void MessageBrowserPane::holdWhilePaused(const client::MessageBatch &batch)
{
    m_heldWhilePaused.push_back(batch);
    m_heldRows += batch.size();
    // The view shows at most the ring's capacity when it resumes: whole batches older than
    // that newest stretch can go now, so a long pause holds no more than the ring would.
    const qint64 capacity = m_model->ringCapacity();
    while (capacity > 0 && !m_heldWhilePaused.empty() &&
           m_heldRows - m_heldWhilePaused.front().size() >= capacity) {
        m_heldRows -= m_heldWhilePaused.front().size();
        m_droppedWhilePaused += m_heldWhilePaused.front().size();
        m_heldWhilePaused.pop_front();
    }
}

void MessageBrowserPane::onBatch(const client::MessageBatch &batch)
{
    if (m_paused) {
        holdWhilePaused(batch);
        return;
    }
    // Follow the end only while the user is there.
    QScrollBar *bar = m_view->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 2;
    m_model->appendBatch(batch);
    if (atBottom &&
        BrowseRequest::Stop(m_stop->currentData().toInt()) == BrowseRequest::Stop::Follow)
        m_view->scrollToBottom();
}

void MessageBrowserPane::onProgress(const client::BrowseProgress &p)
{
    if (p.expected > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::min<qint64>(1000, p.messages * 1000 / p.expected)));
    }
    QString text = tr("%L1 messages · %L2 msg/s · %3")
                       .arg(p.messages)
                       .arg(qint64(p.messagesPerSecond))
                       .arg(QLocale().formattedDataSize(p.bytes));
    if (m_browse && m_browse->request().keep)
        text = tr("%L1 matches in %2").arg(p.kept).arg(text);
    m_status->setText(text);
}

void MessageBrowserPane::onFinished(const client::ClientError &error)
{
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    QString text = m_status->text();
    if (error.isError())
        text = tr("%L1 messages loaded; stopped: %2").arg(m_model->rowCount()).arg(error.message);
    else if (text == tr("Loading…"))
        text = tr("%Ln message(s)", nullptr, m_model->rowCount());
    m_status->setText(text);
    updateInputs();
    Q_EMIT loadFinished(error);
}

void MessageBrowserPane::loadWholeValue(int partition, qint64 offset)
{
    BrowseRequest r;
    r.topic = m_topic;
    r.partitions = {partition};
    r.start = BrowseRequest::Start::Offset;
    r.startValue = offset;
    r.stop = BrowseRequest::Stop::Count;
    r.count = 1;
    r.valueCap = -1; // all of it: one message, read on the browse thread
    if (!m_hold->client())
        return;
    m_wholeValue = std::make_unique<client::BrowseSession>(m_hold->client(), r);
    connect(m_wholeValue.get(), &client::BrowseSession::batchReady, this,
            [this, partition, offset](const client::MessageBatch &b) {
                if (b.isEmpty() || b.record(0).partition != partition ||
                    b.record(0).offset != offset)
                    return;
                m_detail->showMessage(b.record(0), b.key(0), b.value(0), b.headers(0));
            });
    connect(m_wholeValue.get(), &client::BrowseSession::finished, this,
            [this](const client::ClientError &e) {
                if (e.isError())
                    m_status->setText(tr("The whole value could not be read: %1").arg(e.message));
            });
    m_wholeValue->start();
}

void MessageBrowserPane::showRowMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    const int row = m_proxy->mapToSource(index).row();
    const auto snapshot = m_model->snapshot();
    const models::MessageRows::Ref ref = snapshot->at(row);
    QMenu menu(this);
    menu.addAction(tr("Copy key"), this, [this, row] {
        QGuiApplication::clipboard()->setText(
            models::MessageFormatter::escapedText(m_model->keyAt(row)));
    });
    menu.addAction(tr("Copy value"), this, [this, row] {
        QGuiApplication::clipboard()->setText(
            models::MessageFormatter::escapedText(m_model->valueAt(row)));
    });
    menu.addAction(tr("Copy as JSON"), this, [snapshot, ref] {
        QGuiApplication::clipboard()->setText(
            QString::fromUtf8(client::toJsonLine(*ref.batch, ref.index)));
    });
    menu.addSeparator();
    QAction *again = menu.addAction(tr("Produce again…"), this, [this, row] {
        Q_EMIT produceAgain(m_topic, m_model->keyAt(row), m_model->valueAt(row),
                            m_model->headersAt(row));
    });
    again->setEnabled(!m_hold->readOnly() && !m_hold->hasEnded() && !(ref.record().flags & 1));
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void MessageBrowserPane::showCurrent()
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid()) {
        m_detail->clear();
        return;
    }
    const int row = m_proxy->mapToSource(index).row();
    m_detail->showMessage(m_model->recordAt(row), m_model->keyAt(row), m_model->valueAt(row),
                          m_model->headersAt(row));
}

} // namespace periscope::widgets
