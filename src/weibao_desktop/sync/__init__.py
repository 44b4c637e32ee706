"""Excel 台账 and county exchange packages."""
