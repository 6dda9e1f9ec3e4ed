"""The application floor: what users run. One client's plan, a municipality's reserve, the
comparison of routes, the reports (PDF, Excel), the message catalogues, the command line
(``ivp``) and the Streamlit app. Calls the models (``ivp.models``) through their public
entry point and the domain (``ivp.domain``); nothing below imports it."""
