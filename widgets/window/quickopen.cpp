#include "window/quickopen.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QVBoxLayout>

namespace periscope::widgets {

QuickOpen::QuickOpen(QWidget *parent)
    : QDialog(parent, Qt::Popup)
    , m_model(new models::QuickOpenModel(this))
    , m_edit(new QLineEdit(this))
    , m_list(new QListView(this))
{
    setObjectName(QStringLiteral("quickOpen"));
    m_edit->setObjectName(QStringLiteral("quickOpenEdit"));
    m_edit->setPlaceholderText(tr("Go to topic or group…"));
    m_list->setModel(m_model);
    m_list->setUniformItemSizes(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_edit);
    layout->addWidget(m_list);
    resize(520, 360);
    m_edit->installEventFilter(this);
    connect(m_edit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_model->setQuery(text);
        m_list->setCurrentIndex(m_model->index(0, 0));
    });
    connect(m_edit, &QLineEdit::returnPressed, this, &QuickOpen::accept);
    connect(m_list, &QListView::activated, this, &QuickOpen::accept);
}

void QuickOpen::setEntries(const QList<models::QuickOpenEntry> &entries)
{
    m_model->setEntries(entries);
    m_model->setQuery(m_edit->text());
}

void QuickOpen::popup()
{
    if (QWidget *p = parentWidget())
        move(p->mapToGlobal(QPoint((p->width() - width()) / 2, 60)));
    m_edit->clear();
    m_model->setQuery(QString());
    m_list->setCurrentIndex(m_model->index(0, 0));
    show();
    m_edit->setFocus();
}

bool QuickOpen::eventFilter(QObject *watched, QEvent *event)
{
    // Up and Down move through the list while typing continues in the line edit.
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up) {
            const int row = m_list->currentIndex().row() + (key == Qt::Key_Down ? 1 : -1);
            if (row >= 0 && row < m_model->rowCount())
                m_list->setCurrentIndex(m_model->index(row, 0));
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void QuickOpen::accept()
{
    const QModelIndex index = m_list->currentIndex();
    if (const auto *entry = index.isValid() ? m_model->entryAt(index.row()) : nullptr)
        Q_EMIT chosen(*entry);
    QDialog::accept();
}

} // namespace periscope::widgets
