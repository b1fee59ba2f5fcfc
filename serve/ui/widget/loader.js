/* scaffold: the widget loader is built under issue 9 */
