"""Import orders from a file (CSV in any encoding, or a spreadsheet): the dialog."""

from nfctagify_desktop.ui.dialogs.bulk_import.dialog import BulkImportDialog, open_bulk_import
from nfctagify_desktop.ui.dialogs.bulk_import.model import BulkRowsModel

__all__ = ["BulkImportDialog", "BulkRowsModel", "open_bulk_import"]
