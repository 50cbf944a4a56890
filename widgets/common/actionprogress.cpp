#include "common/actionprogress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace periscope::widgets {

ActionProgress::ActionProgress(QWidget *parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_text(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_close(new QToolButton(this))
{
    m_cancel->setObjectName(QStringLiteral("cancelActionButton"));
    m_bar->setObjectName(QStringLiteral("busyBar"));
    m_bar->setRange(0, 0);
    m_bar->setTextVisible(false);
    m_bar->setMaximumWidth(80);
    m_text->setObjectName(QStringLiteral("statusLabel"));
    m_text->setWordWrap(true);
    // Broker messages are shown verbatim, so never let them be read as markup.
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setObjectName(QStringLiteral("dismissButton"));
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_icon);
    layout->addWidget(m_bar);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_cancel);
    layout->addWidget(m_close);

    connect(m_close, &QToolButton::clicked, this, &ActionProgress::clear);
    connect(m_cancel, &QPushButton::clicked, this, &ActionProgress::cancelRequested);
    clear();
}

void ActionProgress::setBusy(const QString &text)
{
    m_state = State::Busy;
    m_icon->hide();
    m_bar->setRange(0, 0);
    m_bar->show();
    m_cancel->hide();
    m_close->hide();
    m_text->setText(text.isEmpty() ? tr("Working…") : text);
    show();
}

void ActionProgress::setCancellableBusy(const QString &text)
{
    setBusy(text);
    m_cancel->show();
}

void ActionProgress::setProgress(qint64 done, qint64 total)
{
    if (total <= 0) {
        m_bar->setRange(0, 0);
        return;
    }
    m_bar->setRange(0, 1000);
    m_bar->setValue(int(std::clamp<qint64>(done * 1000 / total, 0, 1000)));
}

void ActionProgress::setResult(bool ok, const QString &message)
{
    m_state = ok ? State::Succeeded : State::Failed;
    m_bar->hide();
    m_cancel->hide();
    setIcon(ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxCritical);
    m_text->setText(message.isEmpty() ? (ok ? tr("Done.") : tr("Failed.")) : message);
    m_close->show();
    show();
}

void ActionProgress::clear()
{
    m_state = State::Idle;
    m_cancel->hide();
    m_text->clear();
    hide();
}

QString ActionProgress::text() const
{
    return m_text->text();
}

void ActionProgress::setIcon(QStyle::StandardPixmap pixmap)
{
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(pixmap).pixmap(size, size));
    m_icon->show();
}

} // namespace periscope::widgets
