package dev.tandem.sample.todo.ui;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.ListCellRenderer;

/** A list's name (and its owner when not you), how many todos are open, "syncing…" if new. */
final class ListRenderer implements ListCellRenderer<ListItem> {
  private final String user;
  private final JPanel cell = new JPanel(new BorderLayout(8, 0));
  private final JLabel name = new JLabel();
  private final JLabel count = new JLabel();

  ListRenderer(String user) {
    this.user = user;
    cell.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
    cell.add(name, BorderLayout.CENTER);
    cell.add(count, BorderLayout.EAST);
    count.setFont(count.getFont().deriveFont(Font.PLAIN, count.getFont().getSize2D() - 1));
  }

  @Override
  public Component getListCellRendererComponent(
      JList<? extends ListItem> list, ListItem item, int index, boolean selected, boolean focused) {
    String owner =
        item.ownerID().equals(user)
            ? ""
            : " <font color='#888888'>· " + TodoWindow.escape(item.ownerID()) + "</font>";
    name.setText("<html>" + TodoWindow.escape(item.name()) + owner + "</html>");
    String open = item.open() == 0 && item.total() > 0 ? "all done" : item.open() + " open";
    count.setText(item.pending() ? open + " · syncing…" : open);
    cell.setBackground(selected ? list.getSelectionBackground() : list.getBackground());
    Color text = selected ? list.getSelectionForeground() : list.getForeground();
    name.setForeground(text);
    count.setForeground(selected ? text : new Color(0x77, 0x77, 0x77));
    cell.setOpaque(true);
    return cell;
  }
}
