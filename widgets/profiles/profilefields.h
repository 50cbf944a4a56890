#pragma once

// Small editors the profile dialog is built from.

#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

class QLineEdit;
class QTableWidget;

namespace periscope::widgets {

// A file path with a "Browse…" button.
class PathEdit final : public QWidget
{
    Q_OBJECT
public:
    PathEdit(const QString &objectName, const QString &dialogTitle, QWidget *parent = nullptr);

    QString path() const;
    void setPath(const QString &path);
    QLineEdit *lineEdit() const { return m_edit; }

Q_SIGNALS:
    void pathChanged();

private:
    void browse();

    QLineEdit *m_edit;
    QString m_dialogTitle;
};

// A password field with a toggle that shows what was typed.
class SecretEdit final : public QWidget
{
    Q_OBJECT
public:
    explicit SecretEdit(const QString &objectName, QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    QLineEdit *lineEdit() const { return m_edit; }

Q_SIGNALS:
    void textEdited(const QString &text);

private:
    QLineEdit *m_edit;
};

// Extra librdkafka properties as a two-column key/value table; the list stays small.
class PropertiesEditor final : public QWidget
{
    Q_OBJECT
public:
    explicit PropertiesEditor(QWidget *parent = nullptr);

    QList<QPair<QString, QString>> properties() const; // rows with an empty key are skipped
    void setProperties(const QList<QPair<QString, QString>> &properties);
    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    void changed();

private:
    void addRow(const QString &key, const QString &value);

    QTableWidget *m_table;
};

} // namespace periscope::widgets
